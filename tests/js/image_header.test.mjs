// Image sizes read from headers (extension/offscreen/image_header.js) and the shared size limit.
import assert from "node:assert/strict";
import { test } from "node:test";

import { headerDimensions } from "../../extension/offscreen/image_header.js";
import { MAX_PIXELS, pixelCountProblem } from "../../extension/shared/limits.js";

function bytes(...parts) {
  return Uint8Array.from(parts.flat());
}
const be32 = (n) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const le16 = (n) => [n & 255, (n >>> 8) & 255];
const le32 = (n) => [...le16(n & 0xffff), ...le16(n >>> 16)];
const text = (s) => [...s].map((c) => c.charCodeAt(0));

test("PNG: the IHDR chunk's width and height", () => {
  const png = bytes([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10], be32(13), text("IHDR"), be32(60000), be32(60000), [8, 6, 0, 0, 0]);
  assert.deepEqual(headerDimensions(png, "image/png"), { width: 60000, height: 60000 });
  assert.equal(headerDimensions(png.subarray(0, 18), "image/png"), null); // cut short: left to the decoder
});

test("GIF and BMP: little-endian sizes, a top-down BMP's negative height", () => {
  assert.deepEqual(headerDimensions(bytes(text("GIF89a"), le16(640), le16(480)), "image/gif"), { width: 640, height: 480 });
  const bmp = bytes(text("BM"), new Array(16).fill(0), le32(3000), le32(-2000 >>> 0));
  assert.deepEqual(headerDimensions(bmp, "image/bmp"), { width: 3000, height: 2000 });
});

test("JPEG: the start-of-frame after other segments, not a Huffman table's marker", () => {
  const app0 = [0xff, 0xe0, ...[0, 16], ...new Array(14).fill(0)];
  const dht = [0xff, 0xc4, 0, 5, 1, 2, 3];
  const sof2 = [0xff, 0xc2, 0, 17, 8, ...[0x0b, 0xb8], ...[0x0f, 0xa0], 3];
  const jpeg = bytes([0xff, 0xd8], app0, dht, sof2, new Array(12).fill(0));
  assert.deepEqual(headerDimensions(jpeg, "image/jpeg"), { width: 4000, height: 3000 });
});

test("WebP: lossy, lossless and extended headers", () => {
  const riff = (kind, body) => bytes(text("RIFF"), le32(100), text("WEBP"), text(kind), le32(body.length), body);
  const lossy = riff("VP8 ", [0, 0, 0, 0x9d, 0x01, 0x2a, ...le16(1920), ...le16(1080), 0, 0]);
  assert.deepEqual(headerDimensions(lossy, "image/webp"), { width: 1920, height: 1080 });
  const bits = (1919) | (1079 << 14);
  const lossless = riff("VP8L", [0x2f, ...le32(bits), 0]);
  assert.deepEqual(headerDimensions(lossless, "image/webp"), { width: 1920, height: 1080 });
  const extended = riff("VP8X", [0, 0, 0, 0, 0x7f, 0x3e, 0, 0x37, 0x04, 0]); // 16000 × 1080
  assert.deepEqual(headerDimensions(extended, "image/webp"), { width: 16000, height: 1080 });
});

test("formats without a header reader give null (the decoded size is checked instead)", () => {
  assert.equal(headerDimensions(bytes(new Array(32).fill(0)), "image/avif"), null);
});

test("the size limit speaks like Python's check_pixel_count", () => {
  assert.equal(pixelCountProblem(10000, 10000), null);
  assert.equal(pixelCountProblem(10001, 10000),
    "image: 10001×10000 is 100.01 MP (100,010,000 pixels); the limit is 100 MP (100,000,000 pixels)");
  assert.match(pixelCountProblem(60000, 60000), /is 3600 MP \(3,600,000,000 pixels\)/);
  assert.equal(MAX_PIXELS, 100_000_000);
});
