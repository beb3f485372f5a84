// Saving through chrome.downloads (extension/shared/save.js), against a fake downloads API.
import assert from "node:assert/strict";
import { test } from "node:test";

import { saveToDownloads } from "../../extension/shared/save.js";

function fakeDownloads(finalState) {
  const listeners = new Set();
  const item = { id: 7, state: "in_progress", filename: "/home/me/Downloads/cat-nobg.png" };
  globalThis.chrome = {
    downloads: {
      async download() {
        if (finalState) setTimeout(() => {
          item.state = finalState;
          for (const listener of listeners) listener({ id: 7, state: { current: finalState } });
        }, 5);
        return 7;
      },
      async search({ id }) {
        return id === 7 ? [{ ...item }] : [];
      },
      onChanged: { addListener: (f) => listeners.add(f), removeListener: (f) => listeners.delete(f) },
    },
  };
  return listeners;
}

test("a finished download gives its id and file name", async () => {
  const listeners = fakeDownloads("complete");
  assert.deepEqual(await saveToDownloads("blob:x", "cat-nobg.png"), { downloadId: 7, filename: "cat-nobg.png" });
  assert.equal(listeners.size, 0);
});

test("a download that never finishes is given up after the deadline, with what to do", async () => {
  const listeners = fakeDownloads(null); // paused for ever
  await assert.rejects(saveToDownloads("blob:x", "cat-nobg.png", { deadlineMs: 50 }), (err) => {
    assert.equal(err.code, "save-failed");
    assert.match(err.message, /has not finished saving cat-nobg.png after 0 s .*Ctrl\+J/);
    return true;
  });
  assert.equal(listeners.size, 0, "no listener left behind");
});

test("an interrupted download says why", async () => {
  fakeDownloads("interrupted");
  await assert.rejects(saveToDownloads("blob:x", "cat-nobg.png"), /Saving cat-nobg.png failed \(interrupted\)/);
});
