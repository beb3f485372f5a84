// Boot of the pipeline host, as named stages reported as (stage, done, total):
// load runtime → load package → open model → ready. One promise per document.
export { bootPipelineHost };

import { loadPyodide } from "/pyodide/pyodide.mjs"; // shipped as is, not bundled
import { probeCapabilities, ORT_MODULES } from "./accelerator.js";
import { graphEntry, loadVerifiedEntry, loadVerifiedGraph, webGpuFeatures } from "./model.js";

const PACKAGE_DIR = "/offcut";

async function bootPipelineHost(onStage = () => {}) {
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
  // and starting ORT-web's WASM runtime (what every machine without a vetted GPU runs).
  const graph = loadVerifiedGraph("default");
  const caps = probeCapabilities([]);
  const wasmRuntime = startWasmRuntime(caps);
  for (const early of [graph, caps, wasmRuntime]) early.catch(() => {}); // awaited (and reported) below
  const pyodide = await stage("load-runtime", 0, () => loadPyodide({ indexURL: "/pyodide/" }));
  const host = await stage("load-package", 1, () => loadPackage(pyodide));
  const { backend, threads, webgpu } = await stage("open-model", 2, () =>
    openModel(host, graph, caps, wasmRuntime));
  onStage("ready", 4, 4);
  return { host, backend, threads, webgpu, bootTimings: timings };
}

/**
 * ORT-web's WASM build, started: its WebAssembly is compiled and its threads
 * spawned by the first session a document opens (~1 s), so a one-node graph
 * opens here, beside Pyodide's start-up, rather than on the cold request's path.
 */
async function startWasmRuntime(capsProbe) {
  const [ort, caps] = await Promise.all([import(ORT_MODULES.wasm), capsProbe]);
  configureWasm(ort, caps.threads);
  const warmup = new Uint8Array(await (await fetch("/models/warmup.onnx")).arrayBuffer());
  await (await ort.InferenceSession.create(warmup, { executionProviders: ["wasm"] })).release();
  return ort;
}

function configureWasm(ort, threads) {
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.wasmPaths = "/ort/";
}

async function loadPackage(pyodide) {
  const archive = await (await fetch("/python/offcut.zip")).arrayBuffer();
  pyodide.unpackArchive(archive, "zip", { extractDir: PACKAGE_DIR });
  pyodide.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(PACKAGE_DIR)})`);
  return pyodide.pyimport("offcut._pyodide");
}

async function openModel(host, graph, capsProbe, wasmRuntime) {
  const [{ bytes, manifest }, caps] = await Promise.all([graph, capsProbe]);
  caps.requiredFeatures = webGpuFeatures(manifest);
  const provider = host.choose_provider(caps);
  // The WASM runtime and graph are already loaded; another provider's build
  // (and its own graph, if the row ships one) is loaded now.
  const ort = provider === "wasm" ? await wasmRuntime : await import(ORT_MODULES[provider]);
  if (provider !== "wasm") configureWasm(ort, caps.threads);
  const entry = graphEntry(manifest, provider);
  const graphBytes = entry === manifest ? bytes : await loadVerifiedEntry(manifest, entry);
  const backend = await host.open_backend(ort, graphBytes, provider, caps.threads);
  return { backend, threads: caps.threads, webgpu: caps.webgpu };
}
