// The fused graphs shipped in dist/models/: fetched from the extension itself
// and verified (byte length + SHA-256, fail closed) before any session exists.
export { loadVerifiedGraph, loadVerifiedEntry, graphEntry, webGpuFeatures };

import { sha256Hex } from "./digest.js";

class ModelIntegrityFailure extends Error {
  constructor(message) {
    super(message);
    this.code = "model-integrity"; // same code as offcut.errors.ModelIntegrityError
  }
}

// `manifestName`: "default" opens the graph the build shipped as the default
// (the one WASM runs; see graphEntry for WebGPU's).
async function loadVerifiedGraph(manifestName) {
  const manifest = await (await fetch(`/models/${manifestName}.json`)).json();
  return { bytes: await loadVerifiedEntry(manifest, manifest), manifest };
}

// The graph a provider runs. A row whose network is int8 ships a float
// variant for WebGPU (catalog.float_variant): WebGPU has no QuantizeLinear,
// so the int8 graph would bounce every activation through the CPU.
function graphEntry(manifest, provider) {
  return provider === "webgpu" && manifest.webgpu ? manifest.webgpu : manifest;
}

// The WebGPU features the graph WebGPU would run needs (known before a provider is chosen).
function webGpuFeatures(manifest) {
  return graphEntry(manifest, "webgpu").requiredWebGpuFeatures ?? [];
}

async function loadVerifiedEntry(manifest, entry) {
  const modelId = manifest.model;
  const response = await fetch(`/models/${entry.file}`);
  if (!response.ok) throw new ModelIntegrityFailure(`model ${modelId}: ${entry.file} is missing from the extension`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength !== entry.bytes) {
    throw new ModelIntegrityFailure(
      `model ${modelId}: expected ${entry.bytes} bytes, got ${bytes.byteLength}; reinstall Offcut`);
  }
  const digest = await sha256Hex(bytes);
  if (digest !== entry.sha256) {
    throw new ModelIntegrityFailure(
      `model ${modelId}: SHA-256 is ${digest.slice(0, 16)}…, expected ${entry.sha256.slice(0, 16)}…; refusing to load it`);
  }
  return bytes;
}
