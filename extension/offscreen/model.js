// The fused graph shipped in dist/models/: fetched from the extension itself
// and verified (byte length + SHA-256, fail closed) before any session exists.
export { loadVerifiedGraph };

class ModelIntegrityFailure extends Error {
  constructor(message) {
    super(message);
    this.code = "model-integrity"; // same code as offcut.errors.ModelIntegrityError
  }
}

// `manifestName`: "default" opens the graph the build shipped as the default.
async function loadVerifiedGraph(manifestName) {
  const manifest = await (await fetch(`/models/${manifestName}.json`)).json();
  const modelId = manifest.model;
  const response = await fetch(`/models/${manifest.file}`);
  if (!response.ok) throw new ModelIntegrityFailure(`model ${modelId}: ${manifest.file} is missing from the extension`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength !== manifest.bytes) {
    throw new ModelIntegrityFailure(
      `model ${modelId}: expected ${manifest.bytes} bytes, got ${bytes.byteLength}; reinstall Offcut`);
  }
  const digest = hex(await crypto.subtle.digest("SHA-256", bytes));
  if (digest !== manifest.sha256) {
    throw new ModelIntegrityFailure(
      `model ${modelId}: SHA-256 is ${digest.slice(0, 16)}…, expected ${manifest.sha256.slice(0, 16)}…; refusing to load it`);
  }
  return { bytes, manifest };
}

function hex(buffer) {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
