// The pipeline host: one warm Pyodide + ORT-web session per offscreen
// document; runs one image URL through fetch → decode → Python pipeline and
// keeps the finished PNG as a blob URL the service worker downloads.
export { PipelineHost };

import { ErrorCode, OffcutFailure } from "../shared/protocol.js";
import { bootPipelineHost } from "./boot.js";
import { decodeImage, fetchImageBytes } from "./decode.js";

// Finished PNGs stay addressable (for the download and the popup's preview,
// copy and save buttons) until this many newer results exist.
const KEPT_RESULTS = 6;

class PipelineHost {
  constructor(reportProgress, onIdle) {
    this.reportProgress = reportProgress;
    this.onIdle = onIdle;
    this.idleTimer = undefined;
    this.running = 0; // jobs in flight: the idle timer only runs when there are none
    this.results = [];
    // jobId → the job's promise, for jobs in flight and the last few finished:
    // a service worker restarted mid-job resumes its queue and asks again for
    // the same job, which must join the run it started, not run twice.
    this.jobs = new Map();
    this.jobsStarted = 0;
    // Boot starts with the document and is awaited by every request.
    this.ready = bootPipelineHost((stage, done, total) => reportProgress({ stage, done, total }));
    this.ready.catch((err) => console.error("[offscreen] boot failed", err));
  }

  async status() {
    const { backend, threads, bootTimings, pythonSnapshot, webgpu } = await this.ready.catch((err) => {
      throw describeBootFailure(err);
    });
    return {
      backend, threads, bootTimings, pythonSnapshot, webgpu, crossOriginIsolated: self.crossOriginIsolated,
      jobsStarted: this.jobsStarted,
    };
  }

  run({ url, jobId, idleCloseMs, fetchStallMs }) {
    const known = jobId === undefined ? undefined : this.jobs.get(jobId);
    if (known) return known;
    const job = this.runCounted(url, jobId, idleCloseMs, fetchStallMs);
    if (jobId !== undefined) {
      this.jobs.set(jobId, job);
      while (this.jobs.size > KEPT_RESULTS) this.jobs.delete(this.jobs.keys().next().value);
    }
    return job;
  }

  async runCounted(url, jobId, idleCloseMs, fetchStallMs) {
    this.cancelIdleTimer();
    this.running += 1;
    this.jobsStarted += 1;
    try {
      return await this.runOne(url, jobId, fetchStallMs);
    } finally {
      this.running -= 1;
      if (this.running === 0) this.armIdleTimer(idleCloseMs);
    }
  }

  /** Boot (the popup asks as it opens); a document opened only for this still closes when unused. */
  async warmUp({ idleCloseMs } = {}) {
    const status = await this.status();
    if (this.running === 0 && this.idleTimer === undefined) this.armIdleTimer(idleCloseMs);
    return status;
  }

  // The service worker decides whether to close (it knows if more jobs are
  // queued); this document only says when it has been idle long enough.
  armIdleTimer(idleCloseMs) {
    this.cancelIdleTimer();
    if (!(idleCloseMs > 0)) return;
    this.idleTimer = setTimeout(() => this.onIdle(), idleCloseMs);
  }

  cancelIdleTimer() {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  async runOne(url, jobId, fetchStallMs) {
    const progress = (stage, done) => this.reportProgress({ jobId, url, stage, done, total: 4 });
    const timings = {};
    let started = performance.now();
    progress("fetch", 0);
    const bytes = await fetchImageBytes(url, { stallMs: fetchStallMs });
    timings.fetch = seconds(started);

    started = performance.now();
    progress("decode", 1);
    const { pixels, width, height } = await decodeImage(bytes);
    timings.decode = seconds(started);

    const { host } = await this.ready.catch((err) => {
      throw describeBootFailure(err);
    });
    progress("pipeline", 2);
    const output = await host.process(pixels, width, height); // a plain JS object
    if (output.error) throw new OffcutFailure(output.error.code, output.error.message);
    progress("done", 4);
    const { summary, png } = output;
    return {
      pngUrl: this.keep(new Blob([png], { type: "image/png" })),
      width: summary.width,
      height: summary.height,
      bytes: summary.bytes,
      backend: summary.backend,
      threads: summary.threads,
      alpha: { transparent: summary.transparentFraction, soft: summary.softFraction, opaque: summary.opaqueFraction },
      timings: { ...timings, ...summary.timings },
    };
  }

  keep(blob) {
    const url = URL.createObjectURL(blob);
    this.results.push(url);
    while (this.results.length > KEPT_RESULTS) URL.revokeObjectURL(this.results.shift());
    return url;
  }
}

function seconds(since) {
  return Math.round(performance.now() - since) / 1000;
}

// One code for every boot failure, whatever its cause (the cause's own code is
// kept in the message): the worker closes a document whose boot failed.
function describeBootFailure(err) {
  const cause = err.code ? ` (${err.code})` : "";
  return new OffcutFailure(ErrorCode.engineFailed, `Offcut could not start its engine${cause}: ${err.message}`);
}
