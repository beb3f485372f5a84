// How a decoded-again image differs from the pixels it was encoded from: the
// check every exported WebP and JPEG passes before it is handed over
// (offscreen/encode_image.js). Pure: images are {width, height, pixels}, pixels
// straight RGBA, row-major, 4 bytes a pixel (any array of bytes).
export { comparePixels, jpegError, JPEG_TOLERANCE, BLOCK };

const BLOCK = 16; // a JPEG MCU at 4:2:0: the smallest area whose mean colour the format keeps

// How far a JPEG may come back from its pixels, on a 0–255 scale. Measured with
// this codec (MozJPEG, @jsquash/jpeg) at quality 90 and 92, on 330 photos (the
// eval set v2, two scikit-image samples), 328 of them also as cutouts composited
// on white, and synthetic worst cases (full-range RGB noise, 1 px checkerboard,
// coloured stripes and text-like patterns):
// - meanError, each channel's mean absolute difference: photos ≤ 5.5 (median
//   1.2), RGB noise 11.0 (JPEG's worst case; its block means stay within 0.9);
// - blockMeanError, the largest move of one BLOCK's mean colour: photos ≤ 2.9
//   (median 0.6), synthetic ≤ 2.1.
// Bugs simulated on 66 of the photos (R and B swapped, rows upside down, a row
// stride one pixel off, limited-range YCbCr, a one-pixel shift, another photo)
// break a limit in 64–66 of them; those that pass are photos on which the bug
// hardly shows. Valid for quality ≥ 90, where MozJPEG keeps chroma at full
// resolution: at 85, 2 px red/blue stripes come back with a mean error of 75.
const JPEG_TOLERANCE = Object.freeze({ meanError: 16, blockMeanError: 6, minQuality: 90 });

/**
 * null when `actual` is `expected` as the format keeps it, else what differs, in
 * words. exact: every byte of all four channels (lossless WebP, RGB under
 * alpha 0 included); else RGB only, within JPEG_TOLERANCE (alpha ignored).
 */
function comparePixels(expected, actual, { exact }) {
  const sizeProblem = describeSize(expected, actual);
  if (sizeProblem) return sizeProblem;
  return exact ? exactDifference(expected, actual) : jpegDifference(expected, actual);
}

function describeSize(expected, actual) {
  if (actual.width !== expected.width || actual.height !== expected.height) {
    return `the image is ${actual.width}×${actual.height}, not ${expected.width}×${expected.height}`;
  }
  const bytes = expected.width * expected.height * 4;
  for (const [image, which] of [[expected, "original"], [actual, "decoded"]]) {
    if (image.pixels.length !== bytes) return `the ${which} pixels are ${image.pixels.length} bytes, not ${bytes}`;
  }
  return null;
}

function exactDifference({ width, pixels: want }, { pixels: got }) {
  let differing = 0;
  let hiddenRgbLost = 0; // transparent pixels whose colour changed: a premultiplying or non-"exact" encoder
  let first = -1;
  for (let i = 0; i < want.length; i += 4) {
    if (want[i] === got[i] && want[i + 1] === got[i + 1] && want[i + 2] === got[i + 2] && want[i + 3] === got[i + 3]) {
      continue;
    }
    differing++;
    if (first < 0) first = i;
    if (want[i + 3] === 0 && got[i + 3] === 0) hiddenRgbLost++;
  }
  if (!differing) return null;
  const at = first / 4;
  const rgba = (p) => `rgba(${Array.from(p.subarray ? p.subarray(first, first + 4) : p.slice(first, first + 4)).join(", ")})`;
  const hidden = hiddenRgbLost ? `; ${hiddenRgbLost} of them transparent pixels whose RGB was not kept` : "";
  return `${differing} of ${want.length / 4} pixels differ${hidden}; the first at (${at % width}, ${Math.floor(at / width)}): ` +
    `${rgba(want)} became ${rgba(got)}`;
}

function jpegDifference(expected, actual) {
  const { meanError, worstBlock } = jpegError(expected, actual);
  const problems = [];
  const worstMean = Math.max(...meanError);
  if (worstMean > JPEG_TOLERANCE.meanError) {
    problems.push(`mean error per channel (R, G, B) ${meanError.map(round2).join(", ")} (at most ${JPEG_TOLERANCE.meanError})`);
  }
  if (worstBlock.error > JPEG_TOLERANCE.blockMeanError) {
    problems.push(`the ${BLOCK}×${BLOCK} block at (${worstBlock.x}, ${worstBlock.y}) changed its mean colour by ` +
      `${round2(worstBlock.error)} (at most ${JPEG_TOLERANCE.blockMeanError})`);
  }
  return problems.length ? problems.join("; ") : null;
}

/**
 * JPEG's loss, RGB only: meanError, the mean absolute difference of each
 * channel over the image; worstBlock, the BLOCK×BLOCK block (its top-left
 * pixel) whose mean colour moved most, and by how much (the largest of its
 * three channels' |mean before − mean after|).
 */
function jpegError({ width, height, pixels: want }, { pixels: got }) {
  const columns = Math.ceil(width / BLOCK);
  const rows = Math.ceil(height / BLOCK);
  const blockSums = new Float64Array(columns * rows * 3); // Σ(got − want) per block and channel
  const absolute = [0, 0, 0];
  for (let y = 0; y < height; y++) {
    const rowBlocks = Math.floor(y / BLOCK) * columns;
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const block = (rowBlocks + Math.floor(x / BLOCK)) * 3;
      for (let c = 0; c < 3; c++) {
        const d = got[i + c] - want[i + c];
        absolute[c] += Math.abs(d);
        blockSums[block + c] += d;
      }
    }
  }
  const worstBlock = { x: 0, y: 0, error: 0 };
  for (let b = 0; b < columns * rows; b++) {
    const bx = (b % columns) * BLOCK;
    const by = Math.floor(b / columns) * BLOCK;
    const area = (Math.min(bx + BLOCK, width) - bx) * (Math.min(by + BLOCK, height) - by);
    const error = Math.max(...[0, 1, 2].map((c) => Math.abs(blockSums[b * 3 + c]) / area));
    if (error > worstBlock.error) Object.assign(worstBlock, { x: bx, y: by, error });
  }
  return { meanError: absolute.map((sum) => sum / (width * height)), worstBlock };
}

function round2(value) {
  return Math.round(value * 100) / 100;
}
