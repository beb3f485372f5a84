// The offscreen document's handle on its engine worker (extension/offscreen/engine_client.js),
// against a stand-in Worker that records what is posted and answers as engine_worker.js does.
import assert from "node:assert/strict";
import { test } from "node:test";

class StandInWorker {
  static started = [];

  constructor(url, options) {
    Object.assign(this, { url, options, posted: [], terminated: false });
    StandInWorker.started.push(this);
  }

  postMessage(message) {
    this.posted.push(message);
  }

  terminate() {
    this.terminated = true;
  }

  answer(index, reply) {
    this.onmessage({ data: { id: this.posted[index].id, ...reply } });
  }
}
globalThis.Worker = StandInWorker;
const { EngineWorker } = await import("../../extension/offscreen/engine_client.js");

function gate() {
  let open;
  const promise = new Promise((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test("the worker boots the model it is told; an export's engine opens none until asked", () => {
  new EngineWorker(() => {}, "isnet-fusion");
  assert.equal(StandInWorker.started.at(-1).url, "/engine_worker.js?model=isnet-fusion");
  new EngineWorker(() => {}, undefined, { withModel: false });
  assert.equal(StandInWorker.started.at(-1).url, "/engine_worker.js?lazy=");
});

test("an engine told to wait starts its worker only then, and sends what was asked meanwhile, in order", async () => {
  const wait = gate();
  const before = StandInWorker.started.length;
  const engine = new EngineWorker(() => {}, "u2netp", { after: wait.promise });
  const first = engine.call("run", { url: "https://example.com/a.jpg" });
  const second = engine.call("status", { openModel: false });
  await settle();
  assert.equal(StandInWorker.started.length, before, "the worker started before its predecessor was gone");
  wait.open();
  await settle();
  const worker = StandInWorker.started.at(-1);
  assert.deepEqual(worker.posted.map(({ type }) => type), ["run", "status"]);
  assert.equal(worker.posted[0].payload.model, "u2netp", "a run names the engine's model");
  worker.answer(1, { ok: true, result: { modelOpen: true } });
  worker.answer(0, { ok: true, result: { width: 2 } });
  assert.deepEqual(await Promise.all([first, second]), [{ width: 2 }, { modelOpen: true }]);
});

test("an engine whose wait fails starts all the same", async () => {
  const before = StandInWorker.started.length;
  const engine = new EngineWorker(() => {}, undefined, { after: Promise.reject(new Error("no teardown")) });
  const status = engine.call("status", { openModel: false });
  await settle();
  assert.equal(StandInWorker.started.length, before + 1);
  StandInWorker.started.at(-1).answer(0, { ok: true, result: { modelOpen: false } });
  assert.deepEqual(await status, { modelOpen: false });
});

test("an engine retired before its wait ends, with nothing asked of it, never starts", async () => {
  const wait = gate();
  const before = StandInWorker.started.length;
  const engine = new EngineWorker(() => {}, undefined, { after: wait.promise });
  engine.retire();
  await engine.stopped;
  wait.open();
  await settle();
  assert.equal(StandInWorker.started.length, before);
  await assert.rejects(engine.call("status"), /replaced/);
});

test("a retired engine finishes the job it has, then stops; `stopped` settles only then", async () => {
  const engine = new EngineWorker(() => {});
  const worker = StandInWorker.started.at(-1);
  const job = engine.call("run", {});
  let stopped = false;
  engine.stopped.then(() => {
    stopped = true;
  });
  engine.retire();
  await settle();
  assert.equal(worker.terminated || stopped, false, "stopped with a job still running on it");
  worker.answer(0, { ok: true, result: { done: true } });
  assert.deepEqual(await job, { done: true });
  await settle();
  assert.equal(worker.terminated && stopped, true);
});

test("a worker that dies fails every request waiting on it and every later one, with its first reason", async () => {
  const engine = new EngineWorker(() => {});
  const worker = StandInWorker.started.at(-1);
  const job = engine.call("run", {});
  worker.onerror({ message: "out of memory", preventDefault() {} });
  await assert.rejects(job, /out of memory/);
  engine.terminate();
  await assert.rejects(engine.call("run", {}), /out of memory/);
});
