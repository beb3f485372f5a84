// The check of an exported file's pixels (extension/shared/pixel_compare.js).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { BLOCK, comparePixels, jpegError, JPEG_TOLERANCE } from "../../extension/shared/pixel_compare.js";

const exportSpec = JSON.parse(readFileSync(new URL("../../core_py/offcut/export_spec.json", import.meta.url)));

// A 40×24 image: gradients, a few transparent pixels whose RGB is not zero.
function image(width = 40, height = 24) {
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      pixels.set([(x * 6) % 256, (y * 10) % 256, (x * y) % 256, x % 7 === 0 ? 0 : 255], i);
    }
  }
  return { width, height, pixels };
}

function changed({ width, height, pixels }, change) {
  const copy = new Uint8Array(pixels);
  for (let i = 0; i < copy.length; i += 4) change(copy, i, (i / 4) % width, Math.floor(i / 4 / width));
  return { width, height, pixels: copy };
}

test("an image equal to its original passes both checks", () => {
  const original = image();
  const same = { ...original, pixels: new Uint8ClampedArray(original.pixels) }; // as ImageData holds it
  assert.equal(comparePixels(original, same, { exact: true }), null);
  assert.equal(comparePixels(original, same, { exact: false }), null);
});

test("the exact check names how many pixels differ and the first of them", () => {
  const original = image();
  const actual = changed(original, (p, i, x, y) => { if (y === 3 && x >= 8 && x < 11) p[i + 1] ^= 1; });
  assert.equal(comparePixels(original, actual, { exact: true }),
    "3 of 960 pixels differ; the first at (8, 3): rgba(48, 30, 24, 255) became rgba(48, 31, 24, 255)");
});

test("the exact check tells a lost colour under alpha 0 (premultiplied, or WebP without `exact`)", () => {
  const original = image();
  const premultiplied = changed(original, (p, i) => { if (p[i + 3] === 0) p.fill(0, i, i + 3); });
  assert.equal(comparePixels(original, premultiplied, { exact: true }), "143 of 960 pixels differ; 143 of them transparent " +
    "pixels whose RGB was not kept; the first at (7, 0): rgba(42, 0, 0, 0) became rgba(0, 0, 0, 0)"); // 6 columns but (0, 0), black
});

test("a different size fails either check, before any pixel is compared", () => {
  const original = image(40, 24);
  const turned = image(24, 40);
  for (const exact of [true, false]) {
    assert.equal(comparePixels(original, turned, { exact }), "the image is 24×40, not 40×24");
    assert.equal(comparePixels(original, { ...original, pixels: original.pixels.subarray(4) }, { exact }),
      "the decoded pixels are 3836 bytes, not 3840");
  }
});

test("JPEG's check ignores alpha and accepts small changes everywhere", () => {
  const original = image();
  const lossy = changed(original, (p, i, x, y) => {
    const d = (x + y) % 2 ? 3 : -3;
    for (let c = 0; c < 3; c++) p[i + c] = Math.min(255, Math.max(0, p[i + c] + d));
    p[i + 3] = 255;
  });
  assert.equal(comparePixels(original, lossy, { exact: false }), null);
  assert.notEqual(comparePixels(original, lossy, { exact: true }), null);
});

test("JPEG's check finds one block whose colour moved, and names it", () => {
  const original = image(64, 48);
  const step = JPEG_TOLERANCE.blockMeanError + 1;
  const damaged = changed(original, (p, i, x, y) => {
    if (x >= BLOCK && x < 2 * BLOCK && y >= 2 * BLOCK) p[i + 1] -= step; // green: 64 or more in these rows
  });
  const { worstBlock } = jpegError(original, damaged);
  assert.deepEqual([worstBlock.x, worstBlock.y], [BLOCK, 2 * BLOCK]);
  assert.equal(comparePixels(original, damaged, { exact: false }),
    `the 16×16 block at (16, 32) changed its mean colour by ${step} (at most ${JPEG_TOLERANCE.blockMeanError})`);
});

test("JPEG's check finds noise that leaves every block's mean colour alone", () => {
  const original = { width: 32, height: 32, pixels: new Uint8Array(32 * 32 * 4).fill(128) };
  const amplitude = JPEG_TOLERANCE.meanError + 4;
  const noisy = changed(original, (p, i, x, y) => { p[i] = 128 + ((x + y) % 2 ? amplitude : -amplitude); });
  const { meanError, worstBlock } = jpegError(original, noisy);
  assert.deepEqual(meanError, [amplitude, 0, 0]);
  assert.equal(worstBlock.error, 0);
  assert.equal(comparePixels(original, noisy, { exact: false }),
    `mean error per channel (R, G, B) ${amplitude}, 0, 0 (at most ${JPEG_TOLERANCE.meanError})`);
});

test("blocks at the right and bottom edges are averaged over the pixels they have", () => {
  const original = { width: BLOCK + 2, height: BLOCK + 1, pixels: new Uint8Array((BLOCK + 2) * (BLOCK + 1) * 4) };
  const corner = changed(original, (p, i, x, y) => { if (x >= BLOCK && y >= BLOCK) p[i] = 20; });
  assert.deepEqual(jpegError(original, corner).worstBlock, { x: BLOCK, y: BLOCK, error: 20 });
});

test("the export spec's JPEG quality is one the tolerance was measured for", () => {
  assert.ok(Number.isInteger(exportSpec.jpegQuality) && exportSpec.jpegQuality >= JPEG_TOLERANCE.minQuality &&
    exportSpec.jpegQuality <= 100, `jpegQuality ${exportSpec.jpegQuality}: measure pixel_compare.js's tolerance again`);
});
