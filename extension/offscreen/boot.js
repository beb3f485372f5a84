// Boot of the pipeline host, as named stages reported as (stage, done, total):
// load runtime → load package → open model → ready. One promise per document.
export { bootPipelineHost };

import { loadPyodide, version as pyodideVersion } from "/pyodide/pyodide.mjs"; // shipped as is, not bundled
import { probeCapabilities, ORT_MODULES } from "./accelerator.js";
import { graphEntry, loadBootGraph, loadVerifiedEntry, webGpuFeatures } from "./model.js";
import { RemoteOrt } from "./ort_remote.js";
import { dropSnapshot, readSnapshot, snapshotKey, storeSnapshot } from "./python_snapshot.js";

const PACKAGE_DIR = "/offcut";

/**
 * Python with the package, and ORT-web's WASM runtime (what the export graph
 * runs on); `openModel()` opens the model's session, once. `withModel`: open it
 * as part of the boot, its graph read from the first moment (a cutout's
 * engine); false: only when asked (an engine started for an export, which
 * runs no network: ~0.5 s and the network's memory saved, until a cutout
 * comes).
 */
async function bootPipelineHost(onStage = () => {}, requestedModel = undefined, { withModel = true } = {}) {
  const timings = {};
  const stage = async (name, index, work) => {
    onStage(name, index, 4);
    const started = performance.now();
    const value = await work();
    timings[name] = Math.round(performance.now() - started) / 1000;
    return value;
  };

  // What does not need Python starts at once, beside Pyodide's own start-up:
  // reading and verifying the graph (~50 MB, SHA-256), probing the adapter,
  // starting ORT-web's WASM runtime on its own thread (ort_worker.js: what
  // every machine without a vetted GPU runs) and, where nothing else could
  // run the model, opening its WASM session there while Python restores here.
  let graph = withModel ? loadBootGraph(requestedModel) : undefined;
  const caps = probeCapabilities([]);
  const wasmRuntime = startWasmRuntime(caps);
  const wasmSession = graph && earlyWasmSession(graph, caps, wasmRuntime);
  for (const early of [graph, caps, wasmRuntime, wasmSession]) early?.catch(() => {}); // awaited (and reported) below
  const archive = fetchPackageArchive();
  const python = await stage("load-runtime", 0, () => startPython(archive));
  const host = await stage("load-package", 1, () => loadPackage(python, archive));
  let opened;
  // `model`: the row to open when the boot did not name one (an export's engine adopting the first cutout's).
  const openModel = (model = requestedModel) => {
    opened ??= stage("open-model", 2, () => openModelOn(host, graph ?? loadBootGraph(model), caps, wasmRuntime,
      wasmSession))
      .then((result) => {
        onStage("ready", 4, 4);
        return result;
      })
      .finally(() => {
        // The session holds the model now: this closure lives as long as the
        // engine, and kept the graph's bytes (~50 MB) alive with it.
        graph = undefined;
      });
    return opened;
  };
  if (withModel) await openModel();
  // wasmOrt: ORT-web's WASM build, started; the export graph runs there whatever runs the network.
  return { host, openModel, bootTimings: timings, pythonSnapshot: python.snapshot, wasmOrt: await wasmRuntime };
}

/**
 * Pyodide, restored from this build's stored snapshot when there is one
 * (`snapshot: "restored"`), else started afresh, able to make one ("made"
 * once loadPackage has stored it). A snapshot that fails to restore is
 * dropped and the engine starts the slow way: the snapshot only saves time.
 */
async function startPython(archive) {
  const indexURL = "/pyodide/";
  const key = await snapshotKey(await archive, pyodideVersion);
  const stored = await readSnapshot(key).catch((err) => {
    console.warn("[offscreen] could not read the Python snapshot", err);
  });
  if (stored) {
    try {
      return { pyodide: await loadPyodide({ indexURL, _loadSnapshot: handedOnce(stored) }), key, snapshot: "restored" };
    } catch (err) {
      console.warn("[offscreen] the stored Python snapshot did not restore: dropped", err);
      await dropSnapshot().catch(() => {});
    }
  }
  return { pyodide: await loadPyodide({ indexURL, _makeSnapshot: true }), key, snapshot: "none" };
}

// Pyodide keeps loadPyodide's options for the runtime's whole life, and with
// them what `_loadSnapshot` holds (31 MB, already copied into the heap by the
// restore). It takes a PromiseLike: this one gives the bytes once and keeps
// no reference to them.
function handedOnce(bytes) {
  let kept = bytes;
  return {
    then(resolve) {
      const given = kept;
      kept = undefined;
      resolve(given);
    },
  };
}

/**
 * ORT-web's WASM build, started in its worker: its WebAssembly is compiled
 * and its threads spawned by the first session there (~1 s), so a one-node
 * graph opens at once, beside Pyodide's start-up, rather than on the cold
 * request's path.
 */
async function startWasmRuntime(capsProbe) {
  const ort = ortWorker(ORT_MODULES.wasm, (await capsProbe).threads);
  const warmup = new Uint8Array(await (await fetch("/models/warmup.onnx")).arrayBuffer());
  await (await ort.InferenceSession.create(warmup, { executionProviders: ["wasm"] })).release();
  return ort;
}

// ORT-web in a worker of its own (ort_remote.js). One that stops takes the
// engine with it, as if ORT had failed on this thread: thrown here uncaught,
// the error reaches the document as its engine worker failing
// (engine_client.js), so every waiting request hears it and the next image
// starts a new engine instead of meeting a dead runtime.
function ortWorker(module, threads) {
  return new RemoteOrt(module, threads, {
    onStopped: (error) => setTimeout(() => {
      throw error;
    }),
  });
}

// A row whose graph uses ops WebGPU has no kernel for (the build lists them)
// runs on WASM, and so does every machine without a WebGPU adapter; only
// then is the provider known before Python (choose_provider) is up.
function onlyWasm(manifest, caps) {
  return Boolean(manifest.webgpuLacks?.length) || !caps.webgpu?.available;
}

/** The model's WASM session, opened while Python starts; undefined where another provider may run it. */
async function earlyWasmSession(graph, capsProbe, wasmRuntime) {
  const [{ bytes, manifest }, caps] = await Promise.all([graph, capsProbe]);
  if (!onlyWasm(manifest, caps)) return undefined;
  // The options Python's open_backend gives a session (ORT-web's default optimisation, "all").
  return (await wasmRuntime).InferenceSession.create(bytes, { executionProviders: ["wasm"] });
}

async function fetchPackageArchive() {
  return new Uint8Array(await (await fetch("/python/offcut.zip")).arrayBuffer());
}

async function loadPackage(python, archive) {
  const { pyodide } = python;
  // The file system is not part of the heap: the package's files are put
  // back even when its modules come imported with a restored snapshot.
  pyodide.unpackArchive(await archive, "zip", { extractDir: PACKAGE_DIR });
  if (python.snapshot === "restored") return pyodide.pyimport("offcut._pyodide");
  pyodide.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(PACKAGE_DIR)})`);
  const host = pyodide.pyimport("offcut._pyodide");
  // Taken now, before any model or image exists in the heap (~30 MB), and
  // stored while the boot goes on; the next document starts from it.
  try {
    const heap = pyodide.makeMemorySnapshot();
    python.snapshot = "made";
    storeSnapshot(python.key, heap).catch((err) => console.warn("[offscreen] could not store the Python snapshot", err));
  } catch (err) {
    console.warn("[offscreen] could not make a Python snapshot", err);
  }
  return host;
}

async function openModelOn(host, graph, capsProbe, wasmRuntime, wasmSession) {
  const [wasmGraph, caps] = await Promise.all([graph, capsProbe]);
  const { manifest } = wasmGraph;
  const known = { threads: caps.threads, webgpu: caps.webgpu, model: manifest.model };
  const early = await wasmSession;
  if (early) {
    return { backend: host.adopt_backend(await wasmRuntime, early, "wasm", caps.threads), graphFrom: wasmGraph.origin,
      ...known };
  }
  caps.requiredFeatures = webGpuFeatures(manifest);
  const provider = onlyWasm(manifest, caps) ? "wasm" : host.choose_provider(caps);
  // The WASM runtime and graph are already loaded; another provider's build
  // (and its own graph, if the row ships one) is loaded now, in a worker of its own.
  const ort = provider === "wasm" ? await wasmRuntime : ortWorker(ORT_MODULES[provider], caps.threads);
  const entry = graphEntry(manifest, provider);
  const { bytes, origin } = entry === manifest ? wasmGraph : await loadVerifiedEntry(manifest, entry);
  const backend = await host.open_backend(ort, bytes, provider, caps.threads);
  return { backend, graphFrom: origin, ...known };
}
