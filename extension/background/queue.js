// A serial job queue whose state lives in chrome.storage.session, so jobs
// survive the service worker being terminated: on the next start, unfinished
// jobs run again (their original callers are gone, but the file still lands).
// A queued job can be cancelled (it never runs) and so can the running one
// (its runJob is handed an AbortSignal and decides how to stop).
export { JobQueue };

import { ErrorCode, OffcutFailure, cancelledFailure } from "../shared/protocol.js";

const STORAGE_KEY = "offcut.jobs";
// chrome.storage.session holds 10 MB in all: a job whose record (URL and
// context together: a data: image is often in both) is larger stays in this
// worker's memory, and a small stub is stored in its place.
const MAX_STORED_JOB_CHARS = 64_000;
const MAX_STORED_CONTEXT_CHARS = 2_000; // per context value kept in a stub (a file name, a page URL)
// A job that was running each time the worker died is dropped, not retried forever.
const MAX_ATTEMPTS = 2;

function duplicateJob(id) {
  return new OffcutFailure(ErrorCode.badRequest, `A job with id ${id} is already queued.`);
}

class JobQueue {
  constructor(runJob) {
    this.runJob = runJob; // (url, context, id, signal) → result
    this.waiters = new Map(); // job id → {resolve, reject}, this worker's callers only
    this.inMemory = new Map(); // job id → {url, context} of jobs too large to store
    this.cancelled = new Set(); // ids cancelled while queued: skipped if the loop has already picked them
    this.running = null; // {id, controller} of the job in runJob now
    this.writes = Promise.resolve(); // storage updates, one at a time
    this.draining = null;
  }

  /** `id`: the caller's own (validated) id, to cancel it by; else a new UUID. */
  async submit(url, context = {}, id = crypto.randomUUID()) {
    // The id is taken before the first await, so two submits of one id cannot both pass.
    if (this.waiters.has(id)) throw duplicateJob(id);
    const done = new Promise((resolve, reject) => this.waiters.set(id, { resolve, reject }));
    try {
      const job = { id, url, context, attempts: 0, queuedAt: Date.now() };
      await this.update((jobs) => {
        if (jobs.some((j) => j.id === id)) throw duplicateJob(id); // resumed from an earlier worker
        return [...jobs, this.storable(job)];
      });
    } catch (err) {
      this.waiters.delete(id);
      this.inMemory.delete(id);
      throw err;
    }
    this.drain();
    return done;
  }

  /** The record to store for `job`: itself, or a stub when it is too large (the rest kept in memory). */
  storable(job) {
    if (JSON.stringify(job).length <= MAX_STORED_JOB_CHARS) return job;
    this.inMemory.set(job.id, { url: job.url, context: job.context });
    const small = Object.entries(job.context)
      .filter(([, v]) => (JSON.stringify(v) ?? "").length <= MAX_STORED_CONTEXT_CHARS); // undefined: dropped by JSON anyway
    return { ...job, url: null, context: Object.fromEntries(small) };
  }

  /**
   * Stop job `id`: a running one is aborted (its runJob's signal), a queued one
   * leaves the queue; either way its caller is answered `cancelled`.
   * Returns false when no such job is queued or running (it may have finished).
   */
  async cancel(id) {
    if (this.running?.id === id) {
      this.running.controller.abort();
      return true;
    }
    const queued = (await this.load()).some((j) => j.id === id);
    if (!queued) return false;
    this.cancelled.add(id);
    this.settle(id, { error: cancelledFailure() });
    this.inMemory.delete(id);
    await this.update((jobs) => jobs.filter((j) => j.id !== id));
    return true;
  }

  /** Called at every worker start: pick up what a terminated worker left. */
  resume() {
    return this.drain();
  }

  /** True while a job is queued or running in this worker. */
  get busy() {
    return this.draining !== null;
  }

  drain() {
    this.draining ??= this.loop()
      .catch((err) => this.failWaiting(err)) // no caller is left waiting on a loop that died
      .finally(() => {
        this.draining = null;
      });
    return this.draining;
  }

  failWaiting(err) {
    console.error("[background] the job queue failed:", err);
    const failure = new Error(`Offcut's job queue failed (${err?.message ?? err}); please try again.`);
    for (const id of [...this.waiters.keys()]) this.settle(id, { error: failure });
  }

  async loop() {
    for (let job = (await this.load())[0]; job; job = (await this.load())[0]) {
      const kept = this.inMemory.get(job.id);
      const url = job.url ?? kept?.url;
      const context = kept?.context ?? job.context;
      let outcome;
      if (this.cancelled.delete(job.id)) {
        outcome = { error: cancelledFailure() }; // cancelled between being read here and being run
      } else if (!url || job.attempts >= MAX_ATTEMPTS) {
        outcome = { error: new Error("This job was interrupted and cannot be resumed; please try again.") };
      } else {
        outcome = await this.runOne(job, url, context);
      }
      this.settle(job.id, outcome); // its caller has its answer even if the bookkeeping below fails
      this.inMemory.delete(job.id);
      await this.update((jobs) => jobs.filter((j) => j.id !== job.id));
    }
    this.cancelled.clear(); // nothing left to skip: cancels of jobs the loop never picked up go too
  }

  async runOne(job, url, context) {
    const controller = new AbortController();
    this.running = { id: job.id, controller };
    try {
      await this.update((jobs) => jobs.map((j) => (j.id === job.id ? { ...j, attempts: j.attempts + 1 } : j)));
      if (controller.signal.aborted) return { error: cancelledFailure() };
      return await this.runJob(url, context, job.id, controller.signal).then(
        (result) => ({ result }),
        // However the job stopped, a cancelled one is reported as cancelled.
        (error) => ({ error: controller.signal.aborted ? cancelledFailure() : error }),
      );
    } finally {
      this.running = null;
    }
  }

  settle(id, { result, error }) {
    const waiter = this.waiters.get(id);
    this.waiters.delete(id);
    if (!waiter) {
      if (error && error.code !== ErrorCode.cancelled) console.warn("[background] resumed job failed:", error.message);
      return;
    }
    error ? waiter.reject(error) : waiter.resolve(result);
  }

  async load() {
    await this.writes;
    return (await chrome.storage.session.get(STORAGE_KEY))[STORAGE_KEY] ?? [];
  }

  update(change) {
    const write = this.writes.then(async () => {
      const jobs = (await chrome.storage.session.get(STORAGE_KEY))[STORAGE_KEY] ?? [];
      await chrome.storage.session.set({ [STORAGE_KEY]: change(jobs) });
    });
    this.writes = write.catch(() => {}); // one failed write (over quota) must not fail every later one
    return write;
  }
}
