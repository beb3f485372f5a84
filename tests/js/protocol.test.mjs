// The message protocol's pure parts (extension/shared/protocol.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  ErrorCode, OffcutFailure, Target, dispatcher, message, toFailure, validateImageUrl, validateJobId,
} from "../../extension/shared/protocol.js";

const ID = "abcdefghijklmnop";
globalThis.chrome = { runtime: { id: ID, getURL: (path) => `chrome-extension://${ID}/${path}` } };

test("validateImageUrl accepts the four schemes the engine reads", () => {
  for (const url of ["https://a/b.png", "http://a/b", "data:image/png;base64,AA", `blob:chrome-extension://${ID}/1`]) {
    assert.deepEqual(validateImageUrl({ url }),
      { url, name: undefined, jobId: undefined, save: true, model: undefined, pageUrl: undefined });
  }
  assert.equal(validateImageUrl({ url: "blob:https://a/1" }, { pageBlobs: true }).url, "blob:https://a/1"); // menu
  assert.equal(validateImageUrl({ url: "https://a/b", name: "x.jpg" }).name, "x.jpg");
  assert.equal(validateImageUrl({ url: "https://a/b", name: 42 }).name, undefined);
  const jobId = "0b6f3c1e-7a52-4a8e-9d3f-2c1b0a9e8d7c"; // crypto.randomUUID()'s form
  assert.equal(validateImageUrl({ url: "https://a/b", jobId }).jobId, jobId);
  // Saving is the default; only an explicit false leaves it to the caller.
  assert.equal(validateImageUrl({ url: "https://a/b", save: false }).save, false);
  assert.equal(validateImageUrl({ url: "https://a/b", save: "no" }).save, true);
});

test("the page an image came from is an optional http(s) address (its Referer); anything else is a bad request", () => {
  assert.equal(validateImageUrl({ url: "https://a/b", pageUrl: "https://a/page" }).pageUrl, "https://a/page");
  assert.equal(validateImageUrl({ url: "https://a/b", pageUrl: null }).pageUrl, undefined);
  for (const pageUrl of ["javascript:alert(1)", "file:///etc/passwd", 42, "", "chrome://settings"]) {
    assert.throws(() => validateImageUrl({ url: "https://a/b", pageUrl }), (err) => err.code === ErrorCode.badRequest,
      String(pageUrl));
  }
});

test("a model for one image is an optional short catalog id; anything else is a bad request", () => {
  assert.equal(validateImageUrl({ url: "https://a/b", model: "u2netp" }).model, "u2netp");
  assert.equal(validateImageUrl({ url: "https://a/b", model: "isnet-fusion" }).model, "isnet-fusion");
  for (const model of [42, "", "ISNet Fusion", "x".repeat(65), "../fast", null, ["u2netp"]]) {
    assert.throws(() => validateImageUrl({ url: "https://a/b", model }), (err) => err.code === ErrorCode.badRequest,
      JSON.stringify(model));
  }
});

test("a job id is 8–64 safe characters; anything else is a bad request", () => {
  assert.equal(validateJobId("popup_job-0001"), "popup_job-0001");
  assert.throws(() => validateJobId(undefined), (err) => err.code === ErrorCode.badRequest); // cancel-job needs one
  for (const jobId of [42, "", "short", "x".repeat(65), "has space 123", "../../etc/x", { id: "abcdefgh" }]) {
    assert.throws(() => validateJobId(jobId), (err) => err.code === ErrorCode.badRequest, String(jobId));
    assert.throws(() => validateImageUrl({ url: "https://a/b", jobId }), (err) => err.code === ErrorCode.badRequest);
  }
  assert.equal(validateImageUrl({ url: "https://a/b" }).jobId, undefined); // optional
});

test("validateImageUrl refuses what it cannot read, with a bad-request code", () => {
  for (const payload of [undefined, {}, { url: "" }, { url: 7 }, { url: "nope" }, { url: "file:///etc/passwd" },
    { url: "javascript:alert(1)" }, { url: "data:text/html,<p>hi" }, { url: "blob:https://a/1" },
    { url: "blob:chrome-extension://another-extension/1" }, { url: "chrome://settings" }]) {
    assert.throws(() => validateImageUrl(payload), (err) => err instanceof OffcutFailure && err.code === ErrorCode.badRequest);
  }
});

test("toFailure keeps coded failures and wraps anything else as internal", () => {
  assert.deepEqual(toFailure(new OffcutFailure("fetch-failed", "HTTP 404")),
    { ok: false, error: { code: "fetch-failed", message: "HTTP 404" } });
  assert.deepEqual(toFailure(new TypeError("boom")).error.code, ErrorCode.internal);
  assert.match(toFailure("plain string").error.message, /plain string/);
});

const popup = { id: ID, url: `chrome-extension://${ID}/popup.html`, tab: { id: 3 } }; // a page of ours, in a tab too

test("dispatcher answers its own target only, asynchronously, errors as data", async () => {
  const handle = dispatcher(Target.offscreen, {
    ok: (payload) => payload.n * 2,
    fails: () => {
      throw new OffcutFailure("bad-image", "too small");
    },
  });
  assert.equal(handle(message(Target.background, "ok", { n: 1 }), popup, () => {}), false);
  const reply = (type, payload) => new Promise((resolve) => {
    assert.equal(handle(message(Target.offscreen, type, payload), popup, resolve), true);
  });
  assert.deepEqual(await reply("ok", { n: 21 }), { ok: true, result: 42 });
  assert.deepEqual(await reply("fails", {}), { ok: false, error: { code: "bad-image", message: "too small" } });
  let answer;
  assert.equal(handle(message(Target.offscreen, "unknown"), popup, (reply) => { answer = reply; }), false);
  assert.deepEqual(answer, {
    ok: false, error: { code: "bad-request", message: 'offscreen has no request type "unknown"' },
  });
});

test("dispatcher refuses whoever is not this extension's own page or worker", () => {
  let called = false;
  const handle = dispatcher(Target.background, { ok: () => { called = true; } });
  const senders = [
    { id: ID, url: "https://example.com/page.html", tab: { id: 1 } }, // a script injected into a web page
    { id: "another-extension", url: "chrome-extension://another-extension/x.html" },
    {},
  ];
  for (const sender of senders) {
    let answer;
    assert.equal(handle(message(Target.background, "ok"), sender, (reply) => { answer = reply; }), false);
    assert.equal(answer.error.code, "bad-request", JSON.stringify(sender));
  }
  assert.equal(called, false);
});
