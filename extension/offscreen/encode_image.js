// An export's WebP or JPEG file (the PNG is written by Python), made in the
// engine's worker by real codecs (codecs.js) and checked before it is handed
// over: decoded again by the same library and compared with the pixels it was
// made from (shared/pixel_compare.js). A canvas is no use here: it would
// premultiply, losing RGB under alpha 0, and its JPEG quality is its own.
export { encodeVerified };

import exportSpec from "../../core_py/offcut/export_spec.json" with { type: "json" };
import { comparePixels, JPEG_TOLERANCE } from "../shared/pixel_compare.js";
import { ErrorCode, OffcutFailure } from "../shared/protocol.js";
import { codecFor } from "./codecs.js";

const ENCODINGS = {
  webp: {
    label: "WebP",
    // Lossless, and `exact`: libwebp otherwise clears RGB where alpha is 0, which
    // a cutout keeps (an editor can bring the photo back). Effort as cwebp's -z 4:
    // on a 12 MP cutout (Node, one thread) the default (method 4, quality 75) took
    // 13.6 s for 6.25 MB, this 6.8 s for 6.24 MB, method 1 4.2 s for 7.0 MB,
    // method 0 1.7 s for 8.2 MB; PNG level 1 is 13.4 MB.
    options: () => ({ lossless: 1, exact: 1, method: 3, quality: 50 }),
    isExact: true,
    maxSide: 16383, // the format's limit (libwebp WEBP_MAX_DIMENSION; past it the encoder only says "Encoding error")
    // The codec's heap stops at 2 GiB: a lossless encode of 61 MP fitted, 72 MP failed after ~23 s with
    // libwebp's bare "Encoding error". Refused at once, with a way out, below that line.
    maxPixels: 50_000_000,
  },
  jpeg: {
    label: "JPEG",
    // Baseline, else MozJPEG's defaults (trellis quantisation, optimised Huffman
    // tables). Progressive (its default) was 2.2× slower at 12 MP (3.7 s against
    // 1.7 s) for a 3.5 % smaller file, and ran out of its 2 GiB heap at 100 MP,
    // the largest image Offcut takes, where baseline took 31 s.
    options: ({ jpegQuality }) => ({ quality: jpegQuality, progressive: false }),
    // The check's tolerance was measured from this quality up (pixel_compare.js).
    optionsProblem: ({ jpegQuality }) => (Number.isInteger(jpegQuality) && jpegQuality >= JPEG_TOLERANCE.minQuality &&
      jpegQuality <= 100 ? null : `quality ${jpegQuality} is not an integer from ${JPEG_TOLERANCE.minQuality} to 100`),
    // Lossy: RGB within pixel_compare.js's JPEG_TOLERANCE. A file cut short, even
    // by its End Of Image marker alone, still decodes, but libjpeg warns: it fails.
    isExact: false,
    maxSide: 65500, // libjpeg's JPEG_MAX_DIMENSION
  },
};

/**
 * The file of `format` ("webp" | "jpeg", export_spec.json's ids) for straight-alpha
 * RGBA `pixels` (width·height·4 bytes), as a Uint8Array, after it decoded back to
 * those pixels: exactly, all four channels, for WebP; RGB within tolerance for
 * JPEG (alpha ignored: its pixels are meant to be opaque). Any failure, the
 * check's included, is an OffcutFailure naming the format and the size.
 */
async function encodeVerified(format, { pixels, width, height }, { jpegQuality = exportSpec.jpegQuality } = {}) {
  const encoding = Object.hasOwn(exportSpec.formats, format) ? ENCODINGS[format] : undefined;
  if (!encoding) throw new OffcutFailure(ErrorCode.internal, `The engine encodes no ${JSON.stringify(format)} files.`);
  const what = `${encoding.label} of ${width}×${height} pixels`;
  if (Math.max(width, height) > encoding.maxSide) {
    throw new OffcutFailure(ErrorCode.badRequest, `The ${what} cannot be made: ${encoding.label} holds at most ${encoding.maxSide} pixels a side.`);
  }
  if (width * height > (encoding.maxPixels ?? Infinity)) {
    const megapixels = Math.round(encoding.maxPixels / 1e6);
    throw new OffcutFailure(ErrorCode.badRequest,
      `The ${what} cannot be made here: the browser's ${encoding.label} encoder holds at most ${megapixels} MP. ` +
      "Choose PNG, or a longest side that makes it smaller.",
      { key: "errorExportTooLarge", params: [encoding.label, megapixels] });
  }
  const refusal = inputProblem(encoding, { pixels, width, height }, { jpegQuality });
  if (refusal) throw new OffcutFailure(ErrorCode.internal, `The ${what} cannot be made: ${refusal}.`);
  const codec = await codecFor(format).catch((err) => {
    throw new OffcutFailure(ErrorCode.internal, `The ${encoding.label} codec could not start: ${describe(err)}`);
  });
  const file = await codec.encode({ data: pixels, width, height }, encoding.options({ jpegQuality })).catch((err) => {
    throw encoderFailure(err, what, width, height);
  });
  const fail = (problem) => new OffcutFailure(ErrorCode.internal, `The ${what} failed its check: ${problem}.`);
  const decoded = await codec.decode(file).catch((err) => {
    throw fail(`the ${file.length} bytes it made do not decode (${describe(err)})`);
  });
  const difference = comparePixels({ width, height, pixels },
    { width: decoded.width, height: decoded.height, pixels: decoded.data }, { exact: encoding.isExact });
  if (difference) throw fail(`decoded again, ${difference}`);
  return file;
}

function inputProblem(encoding, { pixels, width, height }, options) {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) return "the size is not two positive integers";
  if (pixels?.length !== width * height * 4) return `${pixels?.length} bytes of pixels given, not ${width * height * 4}`;
  return encoding.optionsProblem?.(options) ?? null;
}

function encoderFailure(err, what, width, height) {
  if (isOutOfMemory(err)) {
    return new OffcutFailure(ErrorCode.outOfMemory, `The ${what} ran out of memory in its encoder: ${describe(err)}`,
      { key: "errorOutOfMemory", params: [width, height] });
  }
  return new OffcutFailure(ErrorCode.internal, `The ${what} could not be encoded: ${describe(err)}`);
}

// The codec's heap could not grow (emscripten aborts with "OOM"; libjpeg says
// "Insufficient memory"), or JavaScript could not allocate a buffer (RangeError).
function isOutOfMemory(err) {
  return [err, err?.cause].some((e) => e instanceof RangeError) ||
    /\bOOM\b|out of memory|insufficient memory|enlarge memory|allocation failed/i.test(describe(err));
}

// What an emscripten module throws is not always an Error (ExitStatus, a string).
function describe(err) {
  return String(err?.message ?? err);
}
