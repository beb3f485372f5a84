// Why a file is not an image Offcut reads (extension/offscreen/decode.js):
// formats a browser cannot decode are named, with what to do.
import assert from "node:assert/strict";
import { test } from "node:test";

import { notReadable } from "../../extension/offscreen/decode.js";

const bytes = (text) => new TextEncoder().encode(text);

// The English message, and the _locales key the popup shows in the user's language.
const said = (failure) => [failure.code, failure.message, failure.words.key];

test("TIFF, HEIC and SVG are named, each with what to do instead", () => {
  const [code, message, key] = said(notReadable(new Uint8Array([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0])));
  assert.equal(code, "not-an-image");
  assert.match(message, /TIFF image.*save it as PNG or JPEG/);
  assert.equal(key, "errorTiff");
  assert.deepEqual(said(notReadable(new Uint8Array([0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8])))[2], "errorTiff");
  const heic = new Uint8Array([0, 0, 0, 0x18, ...bytes("ftypheic"), 0, 0, 0, 0]);
  assert.match(notReadable(heic).message, /HEIC\/HEIF photo.*export it as JPEG/);
  assert.equal(notReadable(heic).words.key, "errorHeic");
  for (const svg of ['<svg xmlns="http://www.w3.org/2000/svg"/>', '<?xml version="1.0"?>\n<!-- made by hand -->\n<svg>']) {
    assert.match(notReadable(bytes(svg)).message, /SVG drawing/);
    assert.equal(notReadable(bytes(svg)).words.key, "errorSvg");
  }
});

test("a web page or anything else is not an image, with the formats Offcut reads", () => {
  const page = notReadable(bytes("<!doctype html><p>hi"));
  assert.match(page.message, /not an image Offcut can read \(it looks like a web page\): use PNG, JPEG/);
  assert.equal(page.words.key, "errorWebPage");
  assert.match(notReadable(bytes("Shopping list")).message, /^That file is not an image Offcut can read: use PNG/);
  assert.equal(notReadable(bytes("Shopping list")).words.key, "errorNotImage");
  assert.doesNotMatch(notReadable(bytes("<svgalike>")).message, /SVG/);
});
