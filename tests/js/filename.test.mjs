// Download names derived from URLs and file names (extension/shared/filename.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { outputFilename } from "../../extension/shared/filename.js";

test("the name comes from the URL's last path segment, extension replaced", () => {
  assert.equal(outputFilename("https://example.com/photos/cat.jpeg?size=2"), "cat-nobg.png");
  assert.equal(outputFilename("https://example.com/a/b%20c.webp"), "b c-nobg.png");
});

test("a file's own name wins over its blob: URL", () => {
  assert.equal(outputFilename("blob:chrome-extension://id/123", "Holiday 2026.PNG"), "Holiday 2026-nobg.png");
});

test("URLs without a usable name fall back to 'image'", () => {
  for (const url of ["data:image/png;base64,AAAA", "blob:https://x/1", "https://example.com/", "not a url"]) {
    assert.equal(outputFilename(url), "image-nobg.png", url);
  }
});

test("no name can leave the downloads folder or hide itself", () => {
  for (const name of ["../../etc/passwd", "..\\..\\boot.ini", ".bashrc", "a/b/c.png", "con\u0000trol.jpg"]) {
    const out = outputFilename("https://x/", name);
    assert.doesNotMatch(out, /[\\/]|\.\.|^\./, `${name} → ${out}`);
    assert.ok(out.endsWith("-nobg.png"));
  }
});

test("long names are bounded", () => {
  const out = outputFilename("https://x/", `${"x".repeat(500)}.jpg`);
  assert.ok(out.length <= 80 + "-nobg.png".length, out);
});
