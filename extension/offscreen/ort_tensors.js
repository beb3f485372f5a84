// Tensors as they cross between the engine worker and ONNX Runtime's worker
// (ort_remote.js, ort_worker.js): plain {type, data, dims}, each data array
// owning its whole buffer so the buffer can be transferred (moved, not copied:
// a 100 MP photo is 400 MB) without detaching anything else.
export { plainTensor, transferList };

/**
 * {type, data, dims} of any tensor-like object. A data array that is a view
 * into a larger buffer (a WebAssembly heap, a slice of a bigger array) is
 * copied, so that transferring it cannot detach its neighbours.
 */
function plainTensor({ type, data, dims }) {
  const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer;
  return { type, data: whole ? data : data.slice(), dims: Array.from(dims, Number) };
}

/** The buffers to transfer with these plain tensors, each once. */
function transferList(tensors) {
  return [...new Set(tensors.map((tensor) => tensor.data.buffer))];
}
