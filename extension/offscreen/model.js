// The pipeline graphs of the catalog's rows, shipped in dist/models/ (whole,
// or as a skeleton plus the network file: graph_parts.js), verified (byte
// length + SHA-256, fail closed) before any session exists.
export { loadBootGraph, loadVerifiedGraph, loadVerifiedEntry, graphEntry, webGpuFeatures };

import { ErrorCode, OffcutFailure } from "../shared/protocol.js";
import { sha256Hex } from "../shared/digest.js";
import { assembleGraph } from "./graph_parts.js";
import { catalogFiles, catalogIndex, modelManifest } from "../shared/model_catalog.js";
import { deleteStoredFiles, keepOnlyFiles, readStoredFile, storedDigests, storeFile } from "../shared/model_store.js";

class ModelIntegrityFailure extends OffcutFailure {
  constructor(message) {
    super(ErrorCode.modelIntegrity, message);
  }
}

// The row's graph WASM runs (see graphEntry for WebGPU's), with its manifest.
async function loadVerifiedGraph(model) {
  const manifest = await modelManifest(model);
  return { ...(await loadVerifiedEntry(manifest, manifest)), manifest };
}

/**
 * The graph an engine boots with: `model`'s (none: the recommended row's)
 * once its network has been downloaded, else the fast tier's (shipped whole):
 * a model removed since the service worker chose it still gives a cutout.
 * The result's manifest says which model made it.
 */
async function loadBootGraph(model = undefined) {
  const { recommended, fast } = await catalogIndex();
  try {
    return await loadVerifiedGraph(model ?? recommended);
  } catch (err) {
    if (err.code !== ErrorCode.modelAbsent) throw err;
    return loadVerifiedGraph(fast);
  }
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

/**
 * {bytes, origin}: one graph of the manifest, verified. A graph shipped whole
 * is read from the extension (origin "package"); one shipped as a skeleton
 * (build/graph_parts.py) is read from the model store ("store"), where its
 * first assembly put it, or else assembled from the skeleton and the network
 * file ("assembled"), checked, and stored.
 */
async function loadVerifiedEntry(manifest, entry) {
  if (!entry.skeleton) return { bytes: await fetchVerified(manifest.model, entry), origin: "package" };
  const stored = await readStoredFile(entry.sha256, entry.bytes).catch((err) => {
    console.warn("[models] could not read the model store", err);
  });
  if (stored) return { bytes: stored, origin: "store" };
  const [skeleton, network] = await Promise.all([fetchVerified(manifest.model, entry.skeleton), loadNetwork(manifest)]);
  const graph = assembleGraph(skeleton, network, entry);
  await verify(manifest.model, graph, entry,
    `the graph rebuilt from ${entry.skeleton.file} and ${manifest.network.file}`);
  // Kept for the next engine (a store that fails only costs the next one this assembly);
  // files of an older build are dropped once this one's are in. A model removed while
  // this engine assembled its graph takes the graph with it: no orphan fills the store.
  storeFile(entry.graph, graph, entry.sha256)
    .then(async () => {
      const { network } = manifest;
      if (!network.packaged && !(await storedDigests()).has(network.sha256)) {
        await deleteStoredFiles([entry.sha256]);
      }
      await keepOnlyFiles(await catalogFiles());
    })
    .catch((err) => console.warn("[models] could not store the assembled graph", err));
  return { bytes: graph, origin: "assembled" };
}

// The network file: downloaded into the model store (install-model), else shipped in the package.
async function loadNetwork(manifest) {
  const { network } = manifest;
  const stored = await readStoredFile(network.sha256, network.bytes).catch(() => undefined);
  if (stored) return stored;
  if (!network.packaged) {
    throw new OffcutFailure(ErrorCode.modelAbsent, `model ${manifest.model}: ${network.file} has not been downloaded`);
  }
  return fetchVerified(manifest.model, network);
}

async function fetchVerified(modelId, file) {
  const response = await fetch(`/models/${file.file}`);
  if (!response.ok) throw new ModelIntegrityFailure(`model ${modelId}: ${file.file} is missing from the extension`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  await verify(modelId, bytes, file, file.file);
  return bytes;
}

async function verify(modelId, bytes, expected, what) {
  if (bytes.byteLength !== expected.bytes) {
    throw new ModelIntegrityFailure(
      `model ${modelId}: ${what}: expected ${expected.bytes} bytes, got ${bytes.byteLength}; reinstall Offcut`);
  }
  const digest = await sha256Hex(bytes);
  if (digest !== expected.sha256) {
    throw new ModelIntegrityFailure(
      `model ${modelId}: ${what}: SHA-256 is ${digest.slice(0, 16)}…, expected ${expected.sha256.slice(0, 16)}…; refusing to load it`);
  }
}
