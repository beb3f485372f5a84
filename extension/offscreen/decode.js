// Image bytes → straight-alpha RGBA pixels. JS owns decoding; the pixels go
// to Python as one Uint8Array. The PNG is never encoded through a canvas.
export { fetchImageBytes, decodeImage, notReadable };

import { MAX_PIXELS, pixelCountProblem } from "../shared/limits.js";
import { ErrorCode, OffcutFailure } from "../shared/protocol.js";
import { headerDimensions } from "./image_header.js";

// Magic numbers → MIME type. Content decides, not the server's Content-Type.
const SIGNATURES = [
  ["image/png", [0x89, 0x50, 0x4e, 0x47]],
  ["image/jpeg", [0xff, 0xd8, 0xff]],
  ["image/gif", [0x47, 0x49, 0x46, 0x38]],
  ["image/bmp", [0x42, 0x4d]],
  ["image/x-icon", [0x00, 0x00, 0x01, 0x00]],
];

// Larger than any image Offcut can cut out: a 100 MP photo is ~300 MB as a PNG.
const MAX_IMAGE_BYTES = 512 * 2 ** 20;

/**
 * The image's bytes. The HTTP cache's ordinary rules apply: a fresh copy is
 * reused, a stale or no-cache one revalidated, so an image replaced at the
 * same URL (an avatar, a webcam's latest.jpg) is cut out as the server has it
 * now. A server that sends nothing for `stallMs` (headers or body; the
 * worker's limit, sent with each job) is given up on; a slow download that
 * keeps moving is not. Over MAX_IMAGE_BYTES stops.
 */
async function fetchImageBytes(url, { stallMs }) {
  const controller = new AbortController();
  let timer;
  const stalled = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new StallError(stallMs)), stallMs);
  };
  stalled();
  try {
    const response = await fetch(url, { credentials: "omit", referrerPolicy: "no-referrer", signal: controller.signal });
    if (!response.ok) {
      const refused = response.status === 401 || response.status === 403;
      throw new OffcutFailure(refused ? ErrorCode.fetchForbidden : ErrorCode.fetchFailed,
        `Could not download the image (HTTP ${response.status}).`, { key: "errorHttpStatus", params: [response.status] });
    }
    const declared = Number(response.headers.get("Content-Length"));
    if (declared > MAX_IMAGE_BYTES) throw tooLarge(declared);
    const bytes = await readBody(response.body, stalled);
    if (bytes.byteLength === 0) {
      throw new OffcutFailure(ErrorCode.notAnImage, "The image file is empty (0 bytes).", { key: "errorEmptyFile", params: [] });
    }
    return bytes;
  } catch (err) {
    if (err instanceof OffcutFailure) throw err;
    const reason = controller.signal.aborted ? controller.signal.reason : err; // the body can fail too: a dropped connection
    const words = reason instanceof StallError
      ? { key: "errorDownloadStalled", params: [reason.seconds] }
      : { key: "errorDownloadFailed", params: [reason.message] };
    throw new OffcutFailure(ErrorCode.fetchFailed, `Could not download the image: ${reason.message}`, words);
  } finally {
    clearTimeout(timer);
  }
}

class StallError extends Error {
  constructor(ms) {
    super(`the server sent nothing for ${Math.round(ms / 1000)} s; try again later`);
    this.seconds = Math.round(ms / 1000);
  }
}

function tooLarge(bytes) {
  const [megabytes, limit] = [Math.round(bytes / 2 ** 20), MAX_IMAGE_BYTES / 2 ** 20];
  return new OffcutFailure(ErrorCode.badImage, `The image file is ${megabytes} MB; Offcut reads files up to ${limit} MB.`,
    { key: "errorFileTooLarge", params: [megabytes, limit] });
}

async function readBody(body, onProgress) {
  const chunks = [];
  let length = 0;
  for await (const chunk of body) {
    onProgress();
    length += chunk.byteLength;
    if (length > MAX_IMAGE_BYTES) throw tooLarge(length);
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function sniffType(bytes) {
  const matches = (magic) => magic.every((b, i) => bytes[i] === b);
  const found = SIGNATURES.find(([, magic]) => matches(magic));
  if (found) return found[0];
  const ascii = String.fromCharCode(...bytes.subarray(0, 16));
  if (ascii.startsWith("RIFF") && ascii.slice(8, 12) === "WEBP") return "image/webp";
  if (ascii.slice(4, 8) === "ftyp" && /avi[fs]/.test(ascii.slice(8, 12))) return "image/avif";
  return null;
}

const READABLE = "use PNG, JPEG, WebP, AVIF, GIF, BMP or ICO";

/** Why these bytes are no image Offcut reads, named where the format is known: an OffcutFailure. */
function notReadable(bytes) {
  const refusal = (message, key) => new OffcutFailure(ErrorCode.notAnImage, message, { key, params: [] });
  const head = String.fromCharCode(...bytes.subarray(0, 16));
  if (head.startsWith("II*\0") || head.startsWith("MM\0*")) {
    return refusal(`That is a TIFF image, which browsers cannot decode: save it as PNG or JPEG first (${READABLE}).`,
      "errorTiff");
  }
  if (head.slice(4, 8) === "ftyp" && /hei[cxs]|mif1|msf1|hevc/.test(head.slice(8, 12))) {
    return refusal(`That is a HEIC/HEIF photo, which this browser cannot decode: export it as JPEG first (${READABLE}).`,
      "errorHeic");
  }
  const text = new TextDecoder().decode(bytes.subarray(0, 1024));
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(text)) {
    return refusal(
      `That is an SVG drawing (vector graphics), not a picture Offcut can cut out: export it as PNG first (${READABLE}).`,
      "errorSvg");
  }
  if (/^\s*</.test(text)) {
    return refusal(`That file is not an image Offcut can read (it looks like a web page): ${READABLE}.`, "errorWebPage");
  }
  return refusal(`That file is not an image Offcut can read: ${READABLE}.`, "errorNotImage");
}

async function decodeImage(bytes) {
  const type = sniffType(bytes);
  if (!type) throw notReadable(bytes);
  // Offcut's size limit, before any pixel is decoded or allocated: from the
  // header where the format has one we read, else from the decoded bitmap.
  const claimed = headerDimensions(bytes, type);
  if (claimed) refuseOversized(claimed.width, claimed.height);
  let bitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes], { type }), {
      imageOrientation: "from-image", // EXIF orientation applied, as a photo viewer shows it
      premultiplyAlpha: "none",
      colorSpaceConversion: "none",
    });
  } catch (err) {
    const format = type.slice(6).toUpperCase();
    throw new OffcutFailure(ErrorCode.badImage,
      `The ${format} image could not be decoded (corrupt or truncated file: ${err.message}).`,
      { key: "errorCorrupt", params: [format] });
  }
  try {
    refuseOversized(bitmap.width, bitmap.height);
    // A JPEG has no alpha: every pixel is opaque, where a 2D canvas is exact,
    // and it needs no WebGL context (the first one in a fresh document costs a
    // second or more of CPU on a software GL, beside the engine's own boot).
    if (type === "image/jpeg") return readViaCanvas(bitmap);
    return readStraightRgba(bitmap) ?? readViaCanvas(bitmap);
  } finally {
    bitmap.close();
  }
}

function refuseOversized(width, height) {
  const problem = pixelCountProblem(width, height);
  if (problem) {
    throw new OffcutFailure(ErrorCode.badImage, `${problem}: Offcut cannot cut out an image this large.`,
      { key: "errorTooManyPixels", params: [width, height, Math.round(width * height / 1e6), MAX_PIXELS / 1e6] });
  }
}

/**
 * Exact straight-alpha pixels: a WebGL texture upload without
 * premultiplication, read back from a framebuffer. A 2D canvas would zero RGB
 * under alpha 0 and round low-alpha colours (so would WebCodecs' ImageDecoder,
 * which hands back premultiplied BGRA: measured).
 */
function readStraightRgba(bitmap) {
  const { width, height } = bitmap;
  const gl = straightAlphaContext();
  if (!gl || Math.max(width, height) > gl.getParameter(gl.MAX_TEXTURE_SIZE)) return null;
  const texture = gl.createTexture();
  const framebuffer = gl.createFramebuffer();
  try {
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
    gl.pixelStorei(gl.UNPACK_COLORSPACE_CONVERSION_WEBGL, gl.NONE);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, gl.RGBA, gl.UNSIGNED_BYTE, bitmap);
    gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, texture, 0);
    const pixels = new Uint8Array(width * height * 4);
    gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, pixels); // row 0 = the image's top row
    return gl.getError() === gl.NO_ERROR ? { pixels, width, height } : null;
  } finally {
    gl.deleteFramebuffer(framebuffer); // the image's texture memory goes now, the context stays
    gl.deleteTexture(texture);
  }
}

// One WebGL 2 context per document, reused by every decode: a context per
// image cost 0.07 s of each 12 MP decode here (median 0.30 s → 0.23 s).
let sharedContext = null;

function straightAlphaContext() {
  if (!sharedContext || sharedContext.isContextLost()) {
    sharedContext = new OffscreenCanvas(1, 1).getContext("webgl2");
  }
  return sharedContext;
}

/** Exact for opaque pixels only: JPEGs, and the fallback without WebGL 2 or beyond its texture size. */
function readViaCanvas(bitmap) {
  const { width, height } = bitmap;
  const context = new OffscreenCanvas(width, height).getContext("2d", { willReadFrequently: true });
  context.drawImage(bitmap, 0, 0);
  const data = context.getImageData(0, 0, width, height).data;
  return { pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height };
}
