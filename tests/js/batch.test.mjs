import assert from "node:assert/strict";
import { test } from "node:test";

import { Batch, ItemState } from "../../extension/results/batch.js";

function batchOf(n, options) {
  const batch = new Batch(options);
  for (let i = 0; i < n; i += 1) batch.add({ name: `photo-${i}.jpg` });
  return batch;
}

test("images are sent two at a time, oldest first, and the next one as each finishes", () => {
  const batch = batchOf(5);
  assert.deepEqual(batch.takeStartable().map((item) => item.name), ["photo-0.jpg", "photo-1.jpg"]);
  assert.deepEqual(batch.takeStartable(), [], "nothing more while two are in flight");
  batch.finish(1, { filename: "photo-0-nobg.png" });
  assert.deepEqual(batch.takeStartable().map((item) => item.id), [3]);
  batch.fail(2, { code: "not-an-image" });
  batch.finish(3, {});
  assert.deepEqual(batch.takeStartable().map((item) => item.id), [4, 5]);
  assert.deepEqual(batch.counts(), { waiting: 0, running: 2, done: 2, failed: 1, cancelled: 0, total: 5 });
});

test("a failed image keeps its own error and does not stop the others", () => {
  const batch = batchOf(3, { inFlight: 3 });
  batch.takeStartable();
  batch.fail(2, { code: "decode-failed", message: "broken" });
  batch.finish(1, { filename: "a.png" });
  batch.finish(3, { filename: "c.png" });
  assert.equal(batch.get(2).error.message, "broken");
  assert.deepEqual(batch.results().map((item) => item.result.filename), ["a.png", "c.png"]);
});

test("cancel drops a waiting image here, asks the engine to stop a running one, and leaves a finished one", () => {
  const batch = batchOf(4);
  batch.takeStartable(); // 1 and 2 running
  batch.finish(1, {});
  assert.equal(batch.cancel(3), "dropped");
  assert.equal(batch.get(3).state, ItemState.cancelled);
  assert.equal(batch.cancel(2), "stop");
  assert.equal(batch.get(2).state, ItemState.running, "running until the engine says it stopped");
  assert.equal(batch.cancel(1), null);
  assert.equal(batch.cancel(99), null);
  assert.deepEqual(batch.takeStartable().map((item) => item.id), [4], "a cancelled image is never sent");
});

test("cancel all drops the waiting images and names the running ones to stop", () => {
  const batch = batchOf(6);
  batch.takeStartable();
  const toStop = batch.cancelAll();
  assert.deepEqual(toStop.map((item) => item.id), [1, 2]);
  assert.equal(batch.counts().cancelled, 4);
  assert.deepEqual(batch.takeStartable(), []);
});

test("a late answer for an image already settled changes nothing", () => {
  const batch = batchOf(1);
  batch.takeStartable();
  batch.cancelled(1);
  assert.equal(batch.finish(1, { filename: "late.png" }), null);
  assert.equal(batch.get(1).state, ItemState.cancelled);
  assert.equal(batch.get(1).result, null);
});

test("arrow keys move through the list and stop at its ends", () => {
  const batch = batchOf(3);
  assert.equal(batch.neighbour(1, 1), 2);
  assert.equal(batch.neighbour(3, 1), 3);
  assert.equal(batch.neighbour(1, -1), 1);
  assert.equal(batch.neighbour(null, 1), 2, "from nothing selected, as from the first");
  assert.equal(new Batch().neighbour(null, 1), null);
});
