// The model download source setting (extension/shared/model_source.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { DEFAULT_MODEL_SOURCE, partUrl, validateModelSource } from "../../extension/shared/model_source.js";

test("https anywhere and http on this machine are accepted, normalised to end in /", () => {
  assert.equal(validateModelSource(DEFAULT_MODEL_SOURCE), DEFAULT_MODEL_SOURCE);
  assert.equal(validateModelSource("https://models.example.org/npm"), "https://models.example.org/npm/");
  assert.equal(validateModelSource("http://127.0.0.1:8123/npm/"), "http://127.0.0.1:8123/npm/");
  assert.equal(validateModelSource("http://localhost:9/"), "http://localhost:9/");
});

test("anything else is refused with a bad-request failure that says why", () => {
  for (const [value, why] of [
    ["http://models.example.org/", /https/], ["ftp://127.0.0.1/", /https/], ["file:///tmp/models/", /https/],
    ["not a url", /not a URL/], ["https://user:pw@example.org/", /password/], ["https://example.org/?x=1", /query/],
    ["http://127.0.0.1.example.org/", /https/],
  ]) {
    assert.throws(() => validateModelSource(value), (err) => err.code === "bad-request" && why.test(err.message), value);
  }
});

test("a part's URL is the base, the package with its version, and the part's path", () => {
  const source = { package: "@imgly/background-removal-data@1.4.5" };
  assert.equal(partUrl("https://cdn.jsdelivr.net/npm/", source, { path: "dist/abc" }),
    "https://cdn.jsdelivr.net/npm/@imgly/background-removal-data@1.4.5/dist/abc");
});
