// Image bytes → straight-alpha RGBA pixels. JS owns decoding; the pixels go
// to Python as one Uint8Array. The PNG is never encoded through a canvas.
export { fetchImageBytes, decodeImage };

import { ErrorCode, OffcutFailure } from "../shared/protocol.js";

// Magic numbers → MIME type. Content decides, not the server's Content-Type.
const SIGNATURES = [
  ["image/png", [0x89, 0x50, 0x4e, 0x47]],
  ["image/jpeg", [0xff, 0xd8, 0xff]],
  ["image/gif", [0x47, 0x49, 0x46, 0x38]],
  ["image/bmp", [0x42, 0x4d]],
  ["image/x-icon", [0x00, 0x00, 0x01, 0x00]],
];
// Formats without an alpha channel: the canvas path is exact for them.
const OPAQUE_TYPES = new Set(["image/jpeg"]);

async function fetchImageBytes(url) {
  let response;
  try {
    // force-cache: reuse the copy the page already loaded where possible.
    response = await fetch(url, { cache: "force-cache", credentials: "omit", referrerPolicy: "no-referrer" });
  } catch (err) {
    throw new OffcutFailure(ErrorCode.fetchFailed, `Could not download the image: ${err.message}`);
  }
  if (!response.ok) {
    throw new OffcutFailure(ErrorCode.fetchFailed, `Could not download the image (HTTP ${response.status}).`);
  }
  return new Uint8Array(await response.arrayBuffer());
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

async function decodeImage(bytes) {
  const type = sniffType(bytes);
  if (!type) {
    const hint = /^\s*</.test(new TextDecoder().decode(bytes.subarray(0, 64))) ? " (it looks like a web page or SVG)" : "";
    throw new OffcutFailure(ErrorCode.notAnImage, `That file is not an image Offcut can read${hint}: use PNG, JPEG, WebP, GIF, AVIF or BMP.`);
  }
  try {
    return OPAQUE_TYPES.has(type) || !("ImageDecoder" in self)
      ? await decodeViaCanvas(bytes, type)
      : await decodeStraightAlpha(bytes, type);
  } catch (err) {
    throw new OffcutFailure(ErrorCode.badImage, `The ${type.slice(6).toUpperCase()} image could not be decoded (corrupt or truncated file): ${err.message}`);
  }
}

/** Opaque formats: EXIF orientation applied; premultiplication is a no-op at alpha 255. */
async function decodeViaCanvas(bytes, type) {
  const bitmap = await createImageBitmap(new Blob([bytes], { type }), {
    imageOrientation: "from-image",
    colorSpaceConversion: "none",
    premultiplyAlpha: "none",
  });
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const data = context.getImageData(0, 0, width, height).data;
  return { pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height };
}

/**
 * Formats with alpha: WebCodecs hands back the decoded frame unpremultiplied,
 * so RGB under alpha 0 and low-alpha colours survive (a canvas would lose them).
 */
async function decodeStraightAlpha(bytes, type) {
  const decoder = new ImageDecoder({ data: bytes, type, colorSpaceConversion: "none", preferAnimation: false });
  try {
    const { image: frame } = await decoder.decode({ frameIndex: 0 });
    try {
      const width = frame.displayWidth;
      const height = frame.displayHeight;
      const pixels = new Uint8Array(width * height * 4);
      await frame.copyTo(pixels, { format: "RGBA", colorSpace: "srgb" });
      return { pixels, width, height };
    } finally {
      frame.close();
    }
  } finally {
    decoder.close();
  }
}
