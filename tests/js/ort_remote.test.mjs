// ONNX Runtime Web driven in a worker of its own (extension/offscreen/ort_remote.js),
// against a stand-in Worker that records what is posted and answers as ort_worker.js does.
import assert from "node:assert/strict";
import { test } from "node:test";

class StandInWorker {
  static last = null;

  constructor(url, options) {
    Object.assign(this, { url, options, posted: [] });
    StandInWorker.last = this;
  }

  postMessage(message, transfer = []) {
    this.posted.push({ message, transfer });
  }

  answer(index, reply) {
    this.onmessage({ data: { id: this.posted[index].message.id, ...reply } });
  }
}
globalThis.Worker = StandInWorker;
const { RemoteOrt } = await import("../../extension/offscreen/ort_remote.js");

test("the worker loads the build it is told, with its thread count", () => {
  new RemoteOrt("/ort/ort.wasm.min.mjs", 2);
  const url = new URL(StandInWorker.last.url, "chrome-extension://x/");
  assert.equal(url.pathname, "/ort_worker.js");
  assert.deepEqual(Object.fromEntries(url.searchParams), { module: "/ort/ort.wasm.min.mjs", threads: "2" });
  assert.equal(StandInWorker.last.options.type, "module");
});

test("a run moves its inputs' buffers there and answers with the outputs", async () => {
  const ort = new RemoteOrt("/ort/ort.wasm.min.mjs", 1);
  const worker = StandInWorker.last;
  const graph = new Uint8Array([8, 1]);
  const created = ort.InferenceSession.create(graph, { executionProviders: ["wasm"] });
  assert.deepEqual(worker.posted[0].message.op, "create");
  assert.deepEqual(worker.posted[0].transfer, [], "the graph is copied: its caller may still be storing it");
  worker.answer(0, { ok: true, result: { session: 7, inputNames: ["image"], outputNames: ["alpha"] } });
  const session = await created;
  assert.deepEqual(session.inputNames, ["image"]);

  const pixels = new Uint8Array(12);
  const image = new ort.Tensor("uint8", pixels, [1, 3, 4]);
  const run = session.run({ image }, ["alpha"]);
  const { message, transfer } = worker.posted[1];
  assert.deepEqual([message.op, message.session, message.fetches], ["run", 7, ["alpha"]]);
  assert.deepEqual(message.feeds.image.dims, [1, 3, 4]);
  assert.deepEqual(transfer, [pixels.buffer]);
  const alpha = { type: "uint8", data: new Uint8Array([255]), dims: [1, 1] };
  worker.answer(1, { ok: true, result: { alpha } });
  assert.deepEqual(await run, { alpha });
  image.dispose(); // a no-op: the array has moved with the run
});

test("a failure there arrives as an Error with its name and words (an out-of-memory is told by them)", async () => {
  const ort = new RemoteOrt("/ort/ort.wasm.min.mjs", 1);
  const created = ort.InferenceSession.create(new Uint8Array(1));
  StandInWorker.last.answer(0, { ok: false, error: { name: "RangeError", message: "Out of memory" } });
  await assert.rejects(created, { name: "RangeError", message: "Out of memory" });
});

test("a worker that stops fails every waiting and later call, and says so once", async () => {
  const stopped = [];
  const ort = new RemoteOrt("/ort/ort.wasm.min.mjs", 1, { onStopped: (error) => stopped.push(error) });
  const worker = StandInWorker.last;
  const waiting = ort.InferenceSession.create(new Uint8Array(1));
  let prevented = false;
  worker.onerror({ message: "boom", preventDefault: () => { prevented = true; } });
  await assert.rejects(waiting, /ONNX Runtime's worker stopped \(boom\)/);
  await assert.rejects(ort.InferenceSession.create(new Uint8Array(1)), /worker stopped/);
  assert.equal(worker.posted.length, 1, "nothing more is sent to a dead worker");
  assert.equal(stopped.length, 1);
  assert.ok(prevented);
});
