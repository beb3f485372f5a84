// The offscreen document's handle on its engine worker (engine_worker.js):
// requests as promises, progress relayed, and a worker that dies answers
// every request still waiting on it.
export { EngineWorker };

import { ErrorCode, OffcutFailure } from "../shared/protocol.js";

class EngineWorker {
  /**
   * `onProgress(progress, context)`: context is what call() was given for that request (none for the boot).
   * `model`: the catalog id it boots with (undefined: the default, or the fast one until that is stored).
   * `withModel`: false opens the model only when a cutout or a status request needs it (an export's engine).
   * `after`: the worker starts once this promise settles; requests made meanwhile wait for it.
   */
  constructor(onProgress, model = undefined, { withModel = true, after = undefined } = {}) {
    this.onProgress = onProgress;
    this.model = model;
    this.opensModel = withModel; // false until a request that opens a model (run, status) is sent
    this.pending = new Map(); // request id → {resolve, reject, context}
    this.nextId = 1;
    this.failure = null; // set once the worker has died: every later call gets it
    this.retiring = false; // replaced: stops when its last request is answered
    /** Settles when this worker is terminated (or stopped before it started). */
    this.stopped = new Promise((resolve) => {
      this.markStopped = resolve;
    });
    this.worker = null;
    this.unsent = []; // requests made before the worker started
    const params = new URLSearchParams(model === undefined ? {} : { model });
    if (!withModel) params.set("lazy", "");
    // Started however `after` ends: a predecessor that failed to stop must not stall every later request.
    if (after) after.then(() => this.start(params), () => this.start(params));
    else this.start(params);
  }

  start(params) {
    if (this.failure) return; // stopped before it started
    const url = params.size ? `/engine_worker.js?${params}` : "/engine_worker.js";
    this.worker = new Worker(url, { type: "module", name: "offcut-engine" });
    this.worker.onmessage = ({ data }) => {
      const request = this.pending.get(data.id);
      if (data.progress) {
        this.onProgress(data.progress, request?.context);
        return;
      }
      if (!request) return;
      this.pending.delete(data.id);
      if (data.ok) request.resolve(data.result);
      else request.reject(new OffcutFailure(data.error.code, data.error.message, data.error.words));
      if (this.retiring && !this.busy) this.terminate();
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.fail(`Offcut's engine stopped (${event.message || "its worker failed"}); it restarts with the next image.`,
        { key: "errorEngineStopped", params: [] });
    };
    for (const message of this.unsent.splice(0)) this.worker.postMessage(message);
  }

  /**
   * Take `model` as the one this engine opens, if it has not been asked to
   * open any yet (an engine started for an export); false if it has.
   */
  adopt(model) {
    if (this.opensModel) return false;
    this.model = model;
    return true;
  }

  call(type, payload = {}, context = undefined) {
    if (this.failure) return Promise.reject(this.failure);
    if (type === "run" || (type === "status" && payload.openModel !== false)) {
      this.opensModel = true;
      payload = { ...payload, model: this.model };
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, context, type, payload });
      if (this.worker) this.worker.postMessage({ id, type, payload });
      else this.unsent.push({ id, type, payload });
    });
  }

  /** True while a request waits on this worker. */
  get busy() {
    return this.pending.size > 0;
  }

  /**
   * Stop the worker once nothing waits on it (at once if nothing does): it
   * takes no new requests. A job already running on it finishes here (its
   * image started with this model); a status request (a warm-up waiting on the
   * boot) moves to `successor`, so a replaced engine still booting is stopped
   * at once instead of booting beside its successor on the same cores.
   */
  retire(successor = undefined) {
    this.retiring = true;
    for (const [id, request] of successor ? this.pending : []) {
      if (request.type !== "status") continue;
      this.pending.delete(id);
      successor.call("status", request.payload, request.context).then(request.resolve, request.reject);
    }
    if (!this.busy) this.terminate();
  }

  /** Stop the worker now (Chromium frees its memory over the next seconds); a request still waiting gets a failure. */
  terminate() {
    this.worker?.terminate();
    this.worker = null;
    this.markStopped();
    this.fail("Offcut's engine was replaced.");
  }

  fail(message, words = undefined) {
    this.failure ??= new OffcutFailure(ErrorCode.engineFailed, message, words);
    for (const { reject } of this.pending.values()) reject(this.failure);
    this.pending.clear();
  }
}
