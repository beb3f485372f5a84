// WebP and JPEG export files made and checked by the real codecs
// (extension/offscreen/encode_image.js, codecs.js), their WebAssembly read
// from node_modules where the build finds it (build_extension.py CODEC_FILES).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, test } from "node:test";

import { CODEC_WASM, codecFor } from "../../extension/offscreen/codecs.js";
import { encodeVerified } from "../../extension/offscreen/encode_image.js";
import { comparePixels } from "../../extension/shared/pixel_compare.js";
import { ErrorCode, OffcutFailure } from "../../extension/shared/protocol.js";

const ROOT = new URL("../../", import.meta.url);
const exportSpec = JSON.parse(readFileSync(new URL("core_py/offcut/export_spec.json", ROOT)));
const shippedCodecs = JSON.parse( // build_extension.py's list, a Python list of strings that is also JSON
  readFileSync(new URL("build/build_extension.py", ROOT), "utf8").match(/^CODEC_FILES = (\[[^\]]*\])/m)[1]);

// The worker fetches /codecs/<name> from the extension; here from node_modules, as the build copies them.
before(() => {
  globalThis.fetch = async (url) => {
    const path = shippedCodecs.find((file) => `/codecs/${file.split("/").pop()}` === url);
    return path ? new Response(readFileSync(new URL(`node_modules/${path}`, ROOT))) : new Response(null, { status: 404 });
  };
});

// A cutout-like 67×45 image: gradients, soft alpha, and transparent pixels whose RGB is not zero.
function cutout(width = 67, height = 45) {
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const alpha = x < 20 ? 0 : Math.min(255, (x - 20) * 16);
      pixels.set([(x * 255) / (width - 1), (y * 255) / (height - 1), (x * y) % 256, alpha], (y * width + x) * 4);
    }
  }
  return { width, height, pixels };
}

function opaque(image) {
  const pixels = new Uint8Array(image.pixels);
  for (let i = 3; i < pixels.length; i += 4) pixels[i] = 255;
  return { ...image, pixels };
}

// Full-range RGB noise: JPEG's worst case, the one that set the tolerance's mean error.
function noise(width = 96, height = 64) {
  const pixels = new Uint8Array(width * height * 4);
  for (let i = 0; i < pixels.length; i++) pixels[i] = i % 4 === 3 ? 255 : Math.imul(i + 1, 2654435761) >>> 24;
  return { width, height, pixels };
}

async function decoded(format, file) {
  const { width, height, data } = await (await codecFor(format)).decode(file);
  return { width, height, pixels: data };
}

// Runs `body` with the format's encoder replaced by `encode(image, options, realEncode)`.
async function withEncoder(format, encode, body) {
  const codec = await codecFor(format);
  const real = codec.encode;
  codec.encode = (image, options) => encode(image, options, real);
  try {
    await body();
  } finally {
    codec.encode = real;
  }
}

async function refusal(promise) {
  const err = await promise.then(() => assert.fail("expected a failure"), (e) => e);
  assert.ok(err instanceof OffcutFailure, `not an OffcutFailure: ${err}`);
  return err;
}

test("the build ships every codec file the worker fetches, and no other", () => {
  const fetched = Object.values(CODEC_WASM).flatMap(({ encoder, decoder }) => [encoder, decoder]);
  assert.deepEqual(shippedCodecs.map((path) => path.split("/").pop()).sort(), fetched.sort());
});

test("WebP is lossless with alpha, RGB under alpha 0 included", async () => {
  const image = cutout();
  const file = await encodeVerified("webp", image);
  const ascii = (from, to) => String.fromCharCode(...file.subarray(from, to));
  assert.deepEqual([ascii(0, 4), ascii(8, 16)], ["RIFF", "WEBPVP8L"]); // VP8L: the lossless bitstream
  assert.equal(comparePixels(image, await decoded("webp", file), { exact: true }), null);
  let hiddenColours = 0; // what `exact` keeps: this image has them
  for (let i = 0; i < image.pixels.length; i += 4) hiddenColours += image.pixels[i + 3] === 0 && image.pixels[i + 1] > 0;
  assert.ok(hiddenColours > 800, `${hiddenColours} transparent pixels with a colour`);
});

test("JPEG has the spec's quality and comes back within tolerance", async () => {
  const image = opaque(cutout());
  const file = await encodeVerified("jpeg", image);
  assert.deepEqual([...file.subarray(0, 2), ...file.subarray(-2)], [0xff, 0xd8, 0xff, 0xd9]);
  assert.deepEqual(file, await encodeVerified("jpeg", image, { jpegQuality: exportSpec.jpegQuality }));
  assert.ok((await encodeVerified("jpeg", image, { jpegQuality: 100 })).length > file.length);
  const back = await decoded("jpeg", file);
  assert.equal(comparePixels(image, back, { exact: false }), null);
  assert.notEqual(comparePixels(image, back, { exact: true }), null, "lossy: not every byte came back");
});

test("JPEG ignores alpha, and passes its worst case, RGB noise", async () => {
  const image = cutout();
  assert.deepEqual(await encodeVerified("jpeg", image), await encodeVerified("jpeg", opaque(image)));
  await encodeVerified("jpeg", noise());
});

test("pixels that are not width·height·4 bytes, or a size that is not one, are refused before any encoding", async () => {
  const image = cutout();
  for (const format of ["webp", "jpeg"]) {
    const err = await refusal(encodeVerified(format, { ...image, width: 68 }));
    assert.equal(err.code, ErrorCode.internal);
    assert.match(err.message, /^The (WebP|JPEG) of 68×45 pixels cannot be made: 12060 bytes of pixels given, not 12240\.$/);
    assert.match((await refusal(encodeVerified(format, { ...image, width: 0.5 }))).message, /not two positive integers/);
  }
});

test("a format the engine does not encode, or a JPEG quality the check was not measured for, is refused", async () => {
  for (const format of ["png", "gif", "toString"]) {
    assert.match((await refusal(encodeVerified(format, cutout()))).message, /^The engine encodes no "\w+" files\.$/);
  }
  assert.match((await refusal(encodeVerified("jpeg", cutout(), { jpegQuality: 75 }))).message,
    /cannot be made: quality 75 is not an integer from 90 to 100/);
});

test("a side longer than the format holds is refused as a bad request; the longest it holds is made", async () => {
  for (const [format, side] of [["webp", 16383], ["jpeg", 65500]]) {
    const strip = (length) => ({ width: length, height: 8, pixels: new Uint8Array(length * 8 * 4).fill(200) });
    await encodeVerified(format, strip(side));
    const err = await refusal(encodeVerified(format, strip(side + 1)));
    assert.equal(err.code, ErrorCode.badRequest);
    assert.match(err.message, new RegExp(`^The (WebP|JPEG) of ${side + 1}×8 pixels cannot be made: \\1 holds at most ${side} pixels a side\\.$`));
  }
});

test("a WebP that loses RGB under alpha 0 (no `exact`) fails its check", async () => {
  await withEncoder("webp", (image, options, real) => real(image, { ...options, exact: 0 }), async () => {
    const err = await refusal(encodeVerified("webp", cutout()));
    assert.equal(err.code, ErrorCode.internal);
    assert.match(err.message, /^The WebP of 67×45 pixels failed its check: decoded again, \d+ of 3015 pixels differ; \d+ of them transparent pixels whose RGB was not kept/);
  });
});

test("a file that does not decode, or decodes to other pixels, fails its check", async () => {
  const image = opaque(cutout());
  const row = image.width * 4;
  const upsideDown = new Uint8Array(image.pixels.length);
  for (let y = 0; y < image.height; y++) upsideDown.set(image.pixels.subarray(y * row, (y + 1) * row), (image.height - 1 - y) * row);
  const cases = [
    ["webp", async () => new Uint8Array(500).fill(7), /the 500 bytes it made do not decode \(Decoding error\)/],
    ["jpeg", async () => new Uint8Array(500).fill(7), /the 500 bytes it made do not decode .*Not a JPEG file/],
    // A JPEG cut short still decodes (grey where it stops): libjpeg warns, and that fails it.
    ...[40, 2].map((cut) => ["jpeg", async (im, o, real) => (await real(im, o)).slice(0, -cut),
      /do not decode \(the decoder warned \(Premature end of JPEG file\)\)/]),
    ["jpeg", (im, o, real) => real({ ...im, data: upsideDown }, o), /decoded again, .*mean error per channel .*the 16×16 block at/],
    ["webp", (im, o, real) => real({ ...im, width: im.height, height: im.width }, o), /decoded again, the image is 45×67, not 67×45/],
  ];
  for (const [format, encode, expected] of cases) {
    await withEncoder(format, encode, async () => {
      assert.match((await refusal(encodeVerified(format, image))).message, expected);
    });
  }
  await encodeVerified("jpeg", image); // the codec, started again after its failures, works
});

test("an encoder out of memory is out-of-memory, with the size in the user's words; any other failure internal", async () => {
  const libjpegOutOfMemory = async () => { throw new Error("Program terminated with exit(1) (Insufficient memory (case 10))"); };
  await withEncoder("jpeg", libjpegOutOfMemory, async () => {
    const err = await refusal(encodeVerified("jpeg", cutout()));
    assert.equal(err.code, ErrorCode.outOfMemory);
    assert.equal(err.message, "The JPEG of 67×45 pixels ran out of memory in its encoder: " +
      "Program terminated with exit(1) (Insufficient memory (case 10))");
    assert.deepEqual(err.words, { key: "errorOutOfMemory", params: [67, 45] });
  });
  await withEncoder("webp", async () => { throw new Error("Encoding error."); }, async () => {
    const err = await refusal(encodeVerified("webp", cutout()));
    assert.equal(err.code, ErrorCode.internal);
    assert.equal(err.message, "The WebP of 67×45 pixels could not be encoded: Encoding error.");
  });
});
