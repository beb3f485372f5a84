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
