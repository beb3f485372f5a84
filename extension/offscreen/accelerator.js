// What this machine offers ONNX Runtime Web: a vetted WebGPU adapter or not,
// and how many WASM threads. Python decides from these facts (choose_provider).
export { probeCapabilities, ORT_MODULES };

// ort.webgpu.min.mjs carries the WebGPU EP (and WASM); ort.wasm.min.mjs is the
// smaller WASM-only build. Both are shipped in dist/ort/.
const ORT_MODULES = Object.freeze({
  webgpu: "/ort/ort.webgpu.min.mjs",
  wasm: "/ort/ort.wasm.min.mjs",
});

// More threads than this stop paying off for one image and cost memory.
const MAX_THREADS = 8;

async function probeCapabilities(requiredFeatures) {
  const threads = self.crossOriginIsolated
    ? Math.max(1, Math.min(MAX_THREADS, navigator.hardwareConcurrency || 1))
    : 1; // SharedArrayBuffer (and so WASM threads) needs cross-origin isolation
  return { threads, requiredFeatures, webgpu: await probeWebGpu() };
}

/**
 * A software adapter (SwiftShader, what headless Chromium exposes with
 * --enable-unsafe-webgpu) is far slower than WASM SIMD threads; refuse it.
 */
async function probeWebGpu() {
  if (!navigator.gpu) return { available: false, reason: "navigator.gpu is missing" };
  let adapter;
  try {
    adapter = await navigator.gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch (err) {
    return { available: false, reason: `requestAdapter failed: ${err.message}` };
  }
  if (!adapter) return { available: false, reason: "no adapter" };
  const info = adapter.info ?? {};
  return {
    available: true,
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
    vendor: info.vendor ?? "",
    architecture: info.architecture ?? "",
    features: [...adapter.features],
  };
}
