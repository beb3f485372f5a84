// A serial job queue whose state lives in chrome.storage.session, so jobs
// survive the service worker being terminated: on the next start, unfinished
// jobs run again (their original callers are gone, but the file still lands).
export { JobQueue };

const STORAGE_KEY = "offcut.jobs";
// chrome.storage.session holds 10 MB in all: a job whose record (URL and
// context together: a data: image is often in both) is larger stays in this
// worker's memory, and a small stub is stored in its place.
const MAX_STORED_JOB_CHARS = 64_000;
const MAX_STORED_CONTEXT_CHARS = 2_000; // per context value kept in a stub (a file name, a page URL)
// A job that was running each time the worker died is dropped, not retried forever.
const MAX_ATTEMPTS = 2;

class JobQueue {
  constructor(runJob) {
    this.runJob = runJob;
    this.waiters = new Map(); // job id → {resolve, reject}, this worker's callers only
    this.inMemory = new Map(); // job id → {url, context} of jobs too large to store
    this.writes = Promise.resolve(); // storage updates, one at a time
    this.draining = null;
  }

  async submit(url, context = {}) {
    const id = crypto.randomUUID();
    const job = { id, url, context, attempts: 0, queuedAt: Date.now() };
    const stored = this.storable(job);
    const done = new Promise((resolve, reject) => this.waiters.set(id, { resolve, reject }));
    try {
      await this.update((jobs) => [...jobs, stored]);
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
      if (!url || job.attempts >= MAX_ATTEMPTS) {
        outcome = { error: new Error("This job was interrupted and cannot be resumed; please try again.") };
      } else {
        await this.update((jobs) => jobs.map((j) => (j.id === job.id ? { ...j, attempts: j.attempts + 1 } : j)));
        outcome = await this.runJob(url, context, job.id).then((result) => ({ result }), (error) => ({ error }));
      }
      this.settle(job.id, outcome); // its caller has its answer even if the bookkeeping below fails
      this.inMemory.delete(job.id);
      await this.update((jobs) => jobs.filter((j) => j.id !== job.id));
    }
  }

  settle(id, { result, error }) {
    const waiter = this.waiters.get(id);
    this.waiters.delete(id);
    if (!waiter) {
      if (error) console.warn("[background] resumed job failed:", error.message);
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
