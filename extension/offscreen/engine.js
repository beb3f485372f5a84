// The engine proper, on its own thread (a dedicated worker of the offscreen
// document): boot, fetch, decode and the Python pipeline. Every page of the
// extension (popup, offscreen document) shares one renderer process and so one
// main thread: a graph run there froze an open popup for the whole run (4 s at
// 12 MP), held its progress and Cancel, and made a cold job's decode wait on
// CPython's start-up. Here nothing heavy touches that thread.
export { Engine };

import spec from "../../core_py/offcut/export_spec.json" with { type: "json" };
import { MIN_SIDE } from "../shared/limits.js";
import { ErrorCode, OffcutFailure } from "../shared/protocol.js";
import { bootPipelineHost } from "./boot.js";
import { decodeImage, fetchImageBytes } from "./decode.js";
import { encodeVerified } from "./encode_image.js";

const { formats: FORMATS, jpegQuality: JPEG_QUALITY } = spec;

class Engine {
  /**
   * `report(progress)`: boot progress as {stage, done, total}. `withModel`:
   * false for an engine started by an export, which opens its model only if a
   * cutout or a status request comes (boot.js).
   */
  constructor(report, model = undefined, { withModel = true } = {}) {
    // Boot starts with the worker and is awaited by every request.
    this.booted = described(bootPipelineHost((stage, done, total) => report({ stage, done, total }), model, { withModel }));
    this.ready = undefined; // the boot with the model's session open: withModel()
    if (withModel) this.withModel();
  }

  /**
   * The boot's results and the opened model's, once the model is open (opened
   * at the first call: `model`, if the boot named none, else the boot's).
   */
  withModel(model = undefined) {
    if (!this.ready) {
      this.ready = this.booted.then(async (boot) => ({ ...boot, ...(await described(boot.openModel(model))) }));
      this.ready.catch(() => {}); // reported to each request that needs the model
    }
    return this.ready;
  }

  /** `openModel` false: the engine as it is, without opening its model (modelOpen says whether it is). */
  async status({ openModel = true, model: adopted } = {}) {
    const boot = openModel ? await this.withModel(adopted) : await (this.ready ?? this.booted);
    const { backend, threads, bootTimings, pythonSnapshot, graphFrom, model, webgpu } = boot;
    return {
      backend, threads, bootTimings, pythonSnapshot, graphFrom, model, webgpu, crossOriginIsolated: self.crossOriginIsolated,
      modelOpen: backend !== undefined,
    };
  }

  /**
   * One image URL → a verified PNG, as a Blob made from the pieces Python
   * wrote it in (posting a Blob to the document copies no bytes). `progress(stage, done)` of 4. `model`: the row to open, if the engine
   * has none open yet and its boot named none (see withModel).
   */
  async run({ url, fetchStallMs, model: adopted }, progress) {
    const ready = this.withModel(adopted); // opening beside the fetch and decode, if not open yet
    const timings = {};
    let started = performance.now();
    progress("fetch", 0);
    const bytes = await fetchImageBytes(url, { stallMs: fetchStallMs });
    timings.fetch = seconds(started);

    started = performance.now();
    progress("decode", 1);
    const { pixels, width, height } = await decodeImage(bytes);
    timings.decode = seconds(started);

    const { host, model } = await ready;
    progress("pipeline", 2);
    const output = await host.process(pixels, width, height); // a plain JS object
    if (output.error) throw new OffcutFailure(output.error.code, output.error.message, pipelineWords(output.error, width, height));
    progress("done", 4);
    const { summary } = output;
    return {
      png: new Blob(output.png, { type: "image/png" }),
      width: summary.width,
      height: summary.height,
      bytes: summary.bytes,
      backend: summary.backend,
      threads: summary.threads,
      model, // which catalog row made it: the fast one until the default's network is downloaded
      alpha: { transparent: summary.transparentFraction, soft: summary.softFraction, opaque: summary.opaqueFraction },
      timings: { ...timings, ...summary.timings },
    };
  }

  /**
   * A cutout PNG (a blob: URL of this extension) → the picture `options` ask
   * for: the export graph (Python + ORT-web WASM) makes its pixels and, for
   * PNG, the checked file; WebP and JPEG are encoded and verified here.
   * photoUrl: the original, read only for a blurred background.
   */
  async exportCutout({ cutoutUrl, photoUrl, options, fetchStallMs }) {
    const timings = {};
    let started = performance.now();
    const png = await fetchImageBytes(cutoutUrl, { stallMs: fetchStallMs });
    const photo = photoUrl ? await decodeImage(await fetchImageBytes(photoUrl, { stallMs: fetchStallMs })) : null;
    timings.read = seconds(started);
    const { host, wasmOrt } = await this.booted; // no network runs: the model need not be open
    // Opened once per engine; a failed open is forgotten, so the next export tries again.
    this.exporter ??= fetch("/models/export.onnx")
      .then((response) => response.arrayBuffer())
      .then((graph) => host.open_exporter(wasmOrt, new Uint8Array(graph)))
      .catch((error) => {
        this.exporter = undefined;
        throw error;
      });
    await this.exporter;
    // No photo: undefined, which Python sees as None (null would arrive as Pyodide's jsnull).
    const output = await host.export(png, photo?.pixels, photo?.width ?? 0, photo?.height ?? 0,
      JSON.stringify(options));
    if (output.error) throw new OffcutFailure(output.error.code, output.error.message);
    const format = FORMATS[options.format];
    let parts = output.png; // PNG: the file's pieces, written and checked by Python
    if (!parts) {
      started = performance.now();
      parts = [await encodeVerified(options.format, { pixels: output.pixels, width: output.width, height: output.height },
        { jpegQuality: JPEG_QUALITY })];
      timings.encode = seconds(started);
    }
    return {
      file: new Blob(parts, { type: format.mime }), mime: format.mime, extension: format.extension, width: output.width, height: output.height,
      box: Array.from(output.box), timings: { ...timings, ...output.timings },
    };
  }
}

// The pipeline's (Python's) failures a user can act on, in their language:
// memory, and an image below the size limit (the package checks it).
function pipelineWords({ code }, width, height) {
  if (code === ErrorCode.outOfMemory) return { key: "errorOutOfMemory", params: [width, height] };
  if (code === ErrorCode.badImage && Math.min(width, height) < MIN_SIDE) {
    return { key: "errorTooSmall", params: [width, height, MIN_SIDE] };
  }
  return undefined;
}

function seconds(since) {
  return Math.round(performance.now() - since) / 1000;
}

// A boot's promise, its failure described (and reported to each request that awaits it, not as unhandled).
function described(boot) {
  const promise = boot.catch((err) => {
    console.error("[engine] boot failed", err);
    throw describeBootFailure(err);
  });
  promise.catch(() => {});
  return promise;
}

// One code for every boot failure, whatever its cause (the cause's own code is
// kept in the message): the service worker closes a document whose boot failed.
function describeBootFailure(err) {
  const cause = err.code ? ` (${err.code})` : "";
  return new OffcutFailure(ErrorCode.engineFailed, `Offcut could not start its engine${cause}: ${err.message}`,
    { key: "errorEngineStart", params: [err.message] });
}
