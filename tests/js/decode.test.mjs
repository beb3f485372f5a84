// Why a file is not an image Offcut reads (extension/offscreen/decode.js):
// formats a browser cannot decode are named, with what to do.
import assert from "node:assert/strict";
import { test } from "node:test";

import { notReadable } from "../../extension/offscreen/decode.js";

const bytes = (text) => new TextEncoder().encode(text);

test("TIFF, HEIC and SVG are named, each with what to do instead", () => {
  assert.match(notReadable(new Uint8Array([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0])), /TIFF image.*save it as PNG or JPEG/);
  assert.match(notReadable(new Uint8Array([0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8])), /TIFF image/);
  const heic = new Uint8Array([0, 0, 0, 0x18, ...bytes("ftypheic"), 0, 0, 0, 0]);
  assert.match(notReadable(heic), /HEIC\/HEIF photo.*export it as JPEG/);
  for (const svg of ['<svg xmlns="http://www.w3.org/2000/svg"/>', '<?xml version="1.0"?>\n<!-- made by hand -->\n<svg>']) {
    assert.match(notReadable(bytes(svg)), /SVG drawing/);
  }
});

test("a web page or anything else is not an image, with the formats Offcut reads", () => {
  assert.match(notReadable(bytes("<!doctype html><p>hi")), /not an image Offcut can read \(it looks like a web page\): use PNG, JPEG/);
  assert.match(notReadable(bytes("Shopping list")), /^That file is not an image Offcut can read: use PNG/);
  assert.doesNotMatch(notReadable(bytes("<svgalike>")), /SVG/);
});
