// The engine worker's handle on ONNX Runtime Web running in a worker of its
// own (ort_worker.js): the part of ORT-web's API the pipeline uses —
// `new Tensor(type, data, dims)`, `InferenceSession.create(graph, options)`,
// `session.run(feeds[, fetches])`, `session.release()` — so Python
// (offcut._pyodide) drives it as it drives ORT-web itself. Input tensors'
// buffers move to that worker (the engine never reads a fed array again);
// the worker stops with the engine's.
export { RemoteOrt };

import { plainTensor, transferList } from "./ort_tensors.js";

class RemoteOrt {
  /**
   * `module`: the ORT-web build to load there (accelerator.js ORT_MODULES); `threads`: its WASM threads.
   * `onStopped(error)`: the worker died (every call waiting on it, and every later one, gets `error`).
   */
  constructor(module, threads, { onStopped = () => {} } = {}) {
    const params = new URLSearchParams({ module, threads: String(threads) });
    this.worker = new Worker(`/ort_worker.js?${params}`, { type: "module", name: "offcut-ort" });
    this.pending = new Map(); // request id → {resolve, reject}
    this.nextId = 1;
    this.failure = null; // set once the worker has died: every later call gets it
    this.worker.onmessage = ({ data: { id, ok, result, error } }) => {
      const request = this.pending.get(id);
      if (!request) return;
      this.pending.delete(id);
      if (ok) request.resolve(result);
      else request.reject(Object.assign(new Error(error.message), { name: error.name }));
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.failure = new Error(`ONNX Runtime's worker stopped (${event.message || "it failed"})`);
      for (const { reject } of this.pending.values()) reject(this.failure);
      this.pending.clear();
      onStopped(this.failure);
    };
    const remote = this;
    this.Tensor = class Tensor {
      constructor(type, data, dims) {
        Object.assign(this, { type, data, dims });
      }

      dispose() {} // the array moves to the other worker with the run that feeds it
    };
    this.InferenceSession = {
      // The graph is copied, not moved: its caller may still be storing it (model.js).
      async create(graph, options = {}) {
        return new RemoteSession(remote, await remote.call("create", { graph, options }));
      },
    };
  }

  call(op, args, transfer = []) {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, ...args }, transfer);
    });
  }
}

class RemoteSession {
  constructor(remote, { session, inputNames, outputNames }) {
    Object.assign(this, { remote, session, inputNames, outputNames });
  }

  /** Outputs come back as {type, data, dims}, their data arrays this worker's own. */
  run(feeds, fetches = undefined) {
    const plain = Object.fromEntries(Object.entries(feeds).map(([name, tensor]) => [name, plainTensor(tensor)]));
    return this.remote.call("run", { session: this.session, feeds: plain, fetches: fetches && Array.from(fetches) },
      transferList(Object.values(plain)));
  }

  release() {
    return this.remote.call("release", { session: this.session });
  }
}
