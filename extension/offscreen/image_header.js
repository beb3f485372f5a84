// An image's width and height read from its header, before anything is
// decoded or allocated: a file that claims 60000×60000 is refused for its
// size, not reported as corrupt after a failed multi-gigabyte decode.
export { headerDimensions };

/** {width, height} from the header of a PNG, JPEG, GIF, BMP or WebP; null when unknown or unreadable. */
function headerDimensions(bytes, type) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    switch (type) {
      case "image/png": // IHDR is the first chunk: width, height as big-endian uint32
        return ascii(bytes, 12, 16) === "IHDR" ? dims(view.getUint32(16), view.getUint32(20)) : null;
      case "image/gif": // logical screen, little-endian uint16
        return dims(view.getUint16(6, true), view.getUint16(8, true));
      case "image/bmp": // BITMAPINFOHEADER: int32 width, height (negative: top-down rows)
        return dims(Math.abs(view.getInt32(18, true)), Math.abs(view.getInt32(22, true)));
      case "image/jpeg":
        return jpegDimensions(bytes, view);
      case "image/webp":
        return webpDimensions(bytes, view);
      default:
        return null; // AVIF, ICO: the decoded bitmap's size is checked instead
    }
  } catch {
    return null; // shorter than its header says: the decoder reports it
  }
}

function dims(width, height) {
  return { width, height };
}

function ascii(bytes, start, end) {
  return String.fromCharCode(...bytes.subarray(start, end));
}

// The first start-of-frame marker (SOF0..SOF15 except DHT C4, JPG C8, DAC CC)
// holds height then width; markers before it are skipped by their lengths.
function jpegDimensions(bytes, view) {
  let pos = 2;
  while (pos + 9 < bytes.length) {
    if (bytes[pos] !== 0xff) return null;
    const marker = bytes[pos + 1];
    if (marker === 0xff) { pos += 1; continue; } // fill byte
    const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrame) return dims(view.getUint16(pos + 7), view.getUint16(pos + 5));
    pos += 2 + view.getUint16(pos + 2);
  }
  return null;
}

function webpDimensions(bytes, view) {
  switch (ascii(bytes, 12, 16)) {
    case "VP8 ": // lossy: 14-bit width and height after the key frame's start code
      return dims(view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff);
    case "VP8L": { // lossless: 14 bits each, minus one, after the signature byte
      const bits = view.getUint32(21, true);
      return dims((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
    }
    case "VP8X": // extended: 24-bit canvas width and height, minus one
      return dims(uint24(bytes, 24) + 1, uint24(bytes, 27) + 1);
    default:
      return null;
  }
}

function uint24(bytes, at) {
  return bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16);
}
