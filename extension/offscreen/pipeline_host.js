// The pipeline host, on the offscreen document's main thread: one engine
// worker per document (Pyodide + ORT-web, warm between jobs: engine.js does
// fetch → decode → Python pipeline there), jobs joined by id, the idle timer,
// and the finished PNGs kept as blob URLs the service worker downloads.
export { PipelineHost };

import { EngineWorker } from "./engine_client.js";

// Finished PNGs stay addressable (for the download and the popup's preview,
// copy and save buttons) until this many newer results exist.
const KEPT_RESULTS = 6;
// How long a stopped engine worker's memory takes to be given back (see memoryGivenBack()).
const TEARDOWN_MS = 2500;

class PipelineHost {
  constructor(reportProgress, onIdle) {
    this.reportProgress = reportProgress;
    this.onIdle = onIdle;
    this.idleTimer = undefined;
    this.running = 0; // jobs in flight: the idle timer only runs when there are none
    this.holds = 0; // model downloads in flight: nor while one runs
    this.results = [];
    // jobId → the job's promise, for jobs in flight and the last few finished:
    // a service worker restarted mid-job resumes its queue and asks again for
    // the same job, which must join the run it started, not run twice.
    this.jobs = new Map();
    this.jobsStarted = 0;
    // Started by the first request, which names the model to boot (every request
    // comes right after the document is made: nothing is lost by waiting for it).
    this.engine = null;
    this.modelsStale = false; // the store changed since this.engine booted: the next request replaces it
    this.enginesStarted = 0;
  }

  /** The worker boots `model` as it starts (`options`: EngineWorker's); its progress, and each job's, is broadcast. */
  startEngine(model, options = {}) {
    this.enginesStarted += 1;
    return new EngineWorker((progress, job) => this.reportProgress({ ...job, ...progress }), model, options);
  }

  /**
   * The engine for a request naming `model` (undefined: whichever runs, else
   * the default's). `withModel` false: the request runs no network (an
   * export), so an engine started for it opens its model only when a later
   * request needs one.
   */
  engineFor(model, { withModel = true } = {}) {
    if (!this.engine) this.engine = this.startEngine(model, { withModel });
    else if (this.modelsStale) this.replaceEngine(model, { withModel });
    else if (model !== undefined && model !== this.engine.model && !this.engine.adopt(model)) this.replaceEngine(model);
    return this.engine;
  }

  /**
   * A new engine, for a downloaded model (its boot opens it) or after a large
   * job (see run(); `options.after` then holds its start back until the old
   * one's memory is given back). It takes every later request at once; the old
   * one answers what it already has (a warm-up still waiting on its boot) and
   * then stops.
   * Waiting for the old one to be idle instead let a job that came meanwhile
   * start on it: the first image after a download used the old model.
   */
  replaceEngine(model = this.engine?.model, options = {}) {
    const old = this.engine;
    this.modelsStale = false;
    this.engine = this.startEngine(model, options);
    old?.retire(this.engine);
  }

  /**
   * The stored models changed (a download, a removal): the next request gets
   * a new engine, booting the model it names from the store as it is now; the
   * one in use finishes its job, if it has one, and stops (a warm-up waiting
   * on its boot moves to the new one).
   */
  modelsChanged() {
    if (this.engine) this.modelsStale = true;
  }

  /** `openModel` false: as the engine is, without opening a model (an engine started for it opens none). */
  async status({ model, openModel = true } = {}) {
    const status = await this.engineFor(model, { withModel: openModel }).call("status", { openModel });
    return { ...status, jobsStarted: this.jobsStarted, enginesStarted: this.enginesStarted };
  }

  /**
   * recycleAfterPixels: after a job this large the engine worker is replaced
   * by a new one: its WebAssembly heaps never shrink while it lives (~4 GB
   * after 100 MP), and the next large job would stack its own buffers on top
   * of the last one's leftovers. The new worker starts once the old one's
   * memory is back (memoryGivenBack) and restores the Python snapshot in ~1 s,
   * while the user looks at the result; smaller jobs keep the warm engine.
   */
  run({ url, jobId, model, idleCloseMs, fetchStallMs, recycleAfterPixels }) {
    const known = jobId === undefined ? undefined : this.jobs.get(jobId);
    if (known) return known;
    const job = this.runCounted(url, jobId, model, idleCloseMs, fetchStallMs, recycleAfterPixels);
    if (jobId !== undefined) {
      this.jobs.set(jobId, job);
      while (this.jobs.size > KEPT_RESULTS) this.jobs.delete(this.jobs.keys().next().value);
    }
    return job;
  }

  async runCounted(url, jobId, model, idleCloseMs, fetchStallMs, recycleAfterPixels) {
    this.cancelIdleTimer();
    this.running += 1;
    this.jobsStarted += 1;
    try {
      const engine = this.engineFor(model);
      const result = await this.runOne(engine, url, jobId, fetchStallMs);
      // (Unless a download replaced it meanwhile: then the engine it ran on is already going.)
      if (result.width * result.height >= recycleAfterPixels && engine === this.engine) {
        this.replaceEngine(engine.model, { after: memoryGivenBack(engine) });
      }
      return result;
    } finally {
      this.running -= 1;
      if (this.running === 0) this.armIdleTimer(idleCloseMs);
    }
  }

  /**
   * A finished cutout as the picture its options ask for (export-cutout), on
   * the engine that runs (any model: no network runs). It counts as work for
   * the idle timer, as a job does.
   */
  async exportCutout({ cutoutUrl, photoUrl, pageUrl, options, idleCloseMs, fetchStallMs }) {
    this.cancelIdleTimer();
    this.running += 1;
    try {
      const { file, mime, ...picture } = await this.engineFor(undefined, { withModel: false }).call("export",
        { cutoutUrl, photoUrl, pageUrl, options, fetchStallMs });
      return { url: this.keep(file), mime, bytes: file.size, ...picture };
    } finally {
      this.running -= 1;
      if (this.running === 0) this.armIdleTimer(idleCloseMs);
    }
  }

  /** Boot (the popup asks as it opens); a document opened only for this still closes when unused. */
  async warmUp({ idleCloseMs, model } = {}) {
    const status = await this.status({ model });
    if (this.running === 0) this.armIdleTimer(idleCloseMs); // the latest warm-up's period counts
    return status;
  }

  // The service worker decides whether to close (it knows if more jobs are
  // queued); this document only says when it has been idle long enough.
  armIdleTimer(idleCloseMs) {
    this.cancelIdleTimer();
    if (!(idleCloseMs > 0) || this.holds > 0) return;
    this.idleTimer = setTimeout(() => this.onIdle(), idleCloseMs);
  }

  /** A model download started: the document must stay until it ends. */
  holdIdle() {
    this.holds += 1;
    this.cancelIdleTimer();
  }

  releaseIdle(idleCloseMs) {
    this.holds -= 1;
    if (this.running === 0) this.armIdleTimer(idleCloseMs);
  }

  cancelIdleTimer() {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  async runOne(engine, url, jobId, fetchStallMs) {
    const { png, ...cutout } = await engine.call("run", { url, fetchStallMs }, { jobId, url });
    return { pngUrl: this.keep(png), ...cutout };
  }

  keep(blob) {
    const url = URL.createObjectURL(blob);
    this.results.push(url);
    while (this.results.length > KEPT_RESULTS) URL.revokeObjectURL(this.results.shift());
    return url;
  }
}

/**
 * Settles TEARDOWN_MS after `engine` stops. Chromium frees a terminated
 * worker's heaps ~2 s after terminate() (measured at 24 and 100 MP: 2.0-2.1 s,
 * whether terminated or closed by itself, with or without its ONNX Runtime
 * sessions released first; its Web Locks go at once), and no event says when:
 * a successor restoring Python and opening the model meanwhile stacked
 * ~0.6 GiB on the old one's 3 GiB, and two 100 MP jobs back to back peaked
 * over 5 GiB. A job that comes meanwhile waits for the successor.
 */
function memoryGivenBack(engine) {
  return engine.stopped.then(() => new Promise((resolve) => setTimeout(resolve, TEARDOWN_MS)));
}
