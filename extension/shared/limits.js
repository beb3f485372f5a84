// Image size limits, the same as the Python package's (offcut._image: MAX_PIXELS,
// MIN_SIDE; tests/unit/test_shared_constants.py holds the two to each other).
export { MAX_PIXELS, MIN_SIDE, pixelCountProblem };

const MAX_PIXELS = 100_000_000;
const MIN_SIDE = 8;

/** The message Python's check_pixel_count gives for an image over the limit, else null. */
function pixelCountProblem(width, height, what = "image") {
  const pixels = width * height;
  if (pixels <= MAX_PIXELS) return null;
  const shown = pixels >= MAX_PIXELS * 1.01 ? (pixels / 1e6).toFixed(0) : (pixels / 1e6).toFixed(2);
  const count = (n) => n.toLocaleString("en-US");
  return `${what}: ${width}×${height} is ${shown} MP (${count(pixels)} pixels); ` +
    `the limit is ${(MAX_PIXELS / 1e6).toFixed(0)} MP (${count(MAX_PIXELS)} pixels)`;
}
