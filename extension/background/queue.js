// A serial job queue whose state lives in chrome.storage.session, so jobs
// survive the service worker being terminated: on the next start, unfinished
// jobs run again (their original callers are gone, but the file still lands).
export { JobQueue };

const STORAGE_KEY = "offcut.jobs";
// Larger URLs (data: URLs of page blobs) stay in memory: session storage is small.
const MAX_STORED_URL_CHARS = 1_000_000;
// A job that was running each time the worker died is dropped, not retried forever.
const MAX_ATTEMPTS = 2;

class JobQueue {
  constructor(runJob) {
    this.runJob = runJob;
    this.waiters = new Map(); // job id → {resolve, reject}, this worker's callers only
    this.largeUrls = new Map();
    this.writes = Promise.resolve(); // storage updates, one at a time
    this.draining = null;
  }

  async submit(url, context = {}) {
    const id = crypto.randomUUID();
    const storable = url.length <= MAX_STORED_URL_CHARS;
    if (!storable) this.largeUrls.set(id, url);
    const job = { id, url: storable ? url : null, context, attempts: 0, queuedAt: Date.now() };
    const done = new Promise((resolve, reject) => this.waiters.set(id, { resolve, reject }));
    await this.update((jobs) => [...jobs, job]);
    this.drain();
    return done;
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
    this.draining ??= this.loop().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  async loop() {
    for (let job = (await this.load())[0]; job; job = (await this.load())[0]) {
      const url = job.url ?? this.largeUrls.get(job.id);
      let outcome;
      if (!url || job.attempts >= MAX_ATTEMPTS) {
        outcome = { error: new Error("This job was interrupted and cannot be resumed; please try again.") };
      } else {
        await this.update((jobs) => jobs.map((j) => (j.id === job.id ? { ...j, attempts: j.attempts + 1 } : j)));
        outcome = await this.runJob(url, job.context, job.id).then((result) => ({ result }), (error) => ({ error }));
      }
      await this.update((jobs) => jobs.filter((j) => j.id !== job.id));
      this.largeUrls.delete(job.id);
      this.settle(job.id, outcome);
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
    this.writes = this.writes.then(async () => {
      const jobs = (await chrome.storage.session.get(STORAGE_KEY))[STORAGE_KEY] ?? [];
      await chrome.storage.session.set({ [STORAGE_KEY]: change(jobs) });
    });
    return this.writes;
  }
}
