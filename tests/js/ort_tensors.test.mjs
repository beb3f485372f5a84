// Tensors crossing to ONNX Runtime's worker (extension/offscreen/ort_tensors.js):
// moved, never by detaching a buffer something else still uses.
import assert from "node:assert/strict";
import { test } from "node:test";

import { plainTensor, transferList } from "../../extension/offscreen/ort_tensors.js";

test("an array that is its whole buffer crosses as is, to be moved", () => {
  const data = new Uint8Array([1, 2, 3, 4]);
  const plain = plainTensor({ type: "uint8", data, dims: [2, 2] });
  assert.equal(plain.data, data);
  assert.deepEqual(plain, { type: "uint8", data, dims: [2, 2] });
  assert.deepEqual(transferList([plain]), [data.buffer]);
});

test("a view into a larger buffer is copied, so moving it leaves its neighbours alone", () => {
  const heap = new Uint8Array(16).map((_, i) => i);
  const view = heap.subarray(4, 8);
  const plain = plainTensor({ type: "uint8", data: view, dims: [4] });
  assert.notEqual(plain.data.buffer, heap.buffer);
  assert.deepEqual([...plain.data], [4, 5, 6, 7]);
  structuredClone(plain, { transfer: transferList([plain]) });
  assert.equal(heap.byteLength, 16, "the heap is not detached");
  assert.equal(plain.data.byteLength, 0, "the copy moved");
});

test("an array over shared memory is copied: a SharedArrayBuffer cannot be moved", () => {
  const shared = new Float32Array(new SharedArrayBuffer(8));
  const plain = plainTensor({ type: "float32", data: shared, dims: [2] });
  assert.ok(plain.data.buffer instanceof ArrayBuffer);
});

test("dims of any kind (ORT's readonly arrays, BigInts) become a plain array of numbers; buffers are listed once", () => {
  const data = new BigInt64Array([3n]);
  const plain = plainTensor({ type: "int64", data, dims: Object.freeze([1n]) });
  assert.deepEqual(plain.dims, [1]);
  assert.deepEqual(transferList([plain, { data }]), [data.buffer]);
});
