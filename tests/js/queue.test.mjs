// The serial job queue (extension/background/queue.js) against an in-memory
// chrome.storage.session that enforces a quota like Chrome's.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { JobQueue } from "../../extension/background/queue.js";

const QUOTA_BYTES = 1_000_000; // Chrome's is 10 MB; smaller here, same behaviour
let store;

beforeEach(() => {
  store = {};
  globalThis.chrome = {
    storage: {
      session: {
        async get(key) {
          return key in store ? { [key]: structuredClone(store[key]) } : {};
        },
        async set(items) {
          const next = { ...store, ...structuredClone(items) };
          if (JSON.stringify(next).length > QUOTA_BYTES) throw new Error("QUOTA_BYTES quota exceeded");
          store = next;
        },
      },
    },
  };
});

const bigDataUrl = `data:image/png;base64,${"A".repeat(6_000_000)}`;

test("a large data: image runs whole, while only a small stub of its job is stored", async () => {
  const seen = [];
  const queue = new JobQueue(async (url, context) => {
    seen.push({ url: url.length, source: context.sourceUrl?.length });
    assert.ok(JSON.stringify(store).length < 100_000, "the stored queue stays small while the job runs");
    return "done";
  });
  assert.equal(await queue.submit(bigDataUrl, { sourceUrl: bigDataUrl, name: "photo.png" }), "done");
  assert.equal(await queue.submit(bigDataUrl, { name: undefined }), "done"); // a dropped file without a name
  await queue.drain(); // a finished job leaves the store after its caller is answered
  assert.deepEqual(seen[0], { url: bigDataUrl.length, source: bigDataUrl.length });
  assert.deepEqual(store["offcut.jobs"], []);
});

test("a write over the quota fails that request only; the next one still runs", async () => {
  const queue = new JobQueue(async (url) => url);
  const session = globalThis.chrome.storage.session;
  const realSet = session.set;
  session.set = async () => {
    throw new Error("QUOTA_BYTES quota exceeded");
  };
  await assert.rejects(queue.submit("https://example.com/a.jpg"), /QUOTA_BYTES/);
  session.set = realSet;
  assert.equal(await queue.submit("https://example.com/b.jpg"), "https://example.com/b.jpg");
});

test("when the queue itself fails, every waiting caller is answered", async () => {
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  const queue = new JobQueue(async (url) => { await gate; return url; });
  const first = queue.submit("https://example.com/1.jpg");
  const second = queue.submit("https://example.com/2.jpg");
  await new Promise((resolve) => setTimeout(resolve, 10));
  globalThis.chrome.storage.session.get = async () => {
    throw new Error("storage is gone");
  };
  release();
  assert.equal(await first, "https://example.com/1.jpg"); // it had finished; removing it from the store is what fails
  await assert.rejects(second, /job queue failed \(storage is gone\)/);
});

test("jobs run one at a time, in order", async () => {
  const order = [];
  const queue = new JobQueue(async (url) => {
    order.push(`start ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    order.push(`end ${url}`);
    return url;
  });
  await Promise.all(["a", "b", "c"].map((name) => queue.submit(`https://x/${name}`)));
  assert.deepEqual(order, ["start https://x/a", "end https://x/a", "start https://x/b", "end https://x/b",
    "start https://x/c", "end https://x/c"]);
});

/** A runJob that waits for the test to release it, or for its signal to abort. */
function gatedRunner() {
  const started = [];
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  const runJob = async (url, context, id, signal) => {
    started.push(url);
    await Promise.race([gate, new Promise((resolve, reject) => signal.addEventListener("abort", () => reject(new Error("engine closed"))))]);
    return url;
  };
  return { runJob, started, release: () => release() };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

test("cancelling a queued job: it never runs, its caller hears `cancelled`, the others go on", async () => {
  const { runJob, started, release } = gatedRunner();
  const queue = new JobQueue(runJob);
  const first = queue.submit("https://x/1", {}, "first-job");
  const second = queue.submit("https://x/2", {}, "second-job");
  const third = queue.submit("https://x/3", {}, "third-job");
  await tick();
  assert.equal(await queue.cancel("second-job"), true);
  await assert.rejects(second, { code: "cancelled", message: "Cancelled." });
  release();
  assert.equal(await first, "https://x/1");
  assert.equal(await third, "https://x/3");
  assert.deepEqual(started, ["https://x/1", "https://x/3"]);
  await queue.drain();
  assert.deepEqual(store["offcut.jobs"], []);
});

test("cancelling the running job aborts its signal; whatever it then throws, its caller hears `cancelled`", async () => {
  const { runJob, started, release } = gatedRunner();
  const queue = new JobQueue(runJob);
  const running = queue.submit("https://x/1", {}, "running-job");
  const next = queue.submit("https://x/2", {}, "next-job");
  await tick();
  assert.deepEqual(started, ["https://x/1"]);
  assert.equal(await queue.cancel("running-job"), true);
  await assert.rejects(running, { code: "cancelled" });
  release();
  assert.equal(await next, "https://x/2"); // the queue goes on with the next job
});

test("cancel answers false for a job that is not queued or running, and ids are unique", async () => {
  const queue = new JobQueue(async (url) => url);
  assert.equal(await queue.submit("https://x/1", {}, "done-job"), "https://x/1");
  await queue.drain();
  assert.equal(await queue.cancel("done-job"), false);
  assert.equal(await queue.cancel("never-seen"), false);
  const { runJob, release } = gatedRunner();
  const busy = new JobQueue(runJob);
  const first = busy.submit("https://x/a", {}, "same-id-1");
  await assert.rejects(busy.submit("https://x/b", {}, "same-id-1"), { code: "bad-request" });
  release();
  assert.equal(await first, "https://x/a");
});
