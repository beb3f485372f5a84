import assert from "node:assert/strict";
import { test } from "node:test";

import { MAX_SCALE, clampView, zoomAbout } from "../../extension/results/zoom.js";

test("zooming about a point keeps that point where it is", () => {
  const view = zoomAbout({ scale: 1, x: 0, y: 0 }, 2, 100, 50, 400, 300);
  assert.deepEqual(view, { scale: 2, x: -100, y: -50 });
  // The picture point under (100, 50) before: ((100 - 0) / 1, …); after: ((100 - -100) / 2, …) — the same.
  const again = zoomAbout(view, 1.5, 300, 200, 400, 300);
  assert.equal((300 - again.x) / again.scale, (300 - view.x) / view.scale);
  assert.equal((200 - again.y) / again.scale, (200 - view.y) / view.scale);
});

test("the scale stays between fitted and the maximum", () => {
  assert.deepEqual(zoomAbout({ scale: 1, x: 0, y: 0 }, 0.5, 10, 10, 400, 300), { scale: 1, x: 0, y: 0 });
  assert.equal(zoomAbout({ scale: 12, x: 0, y: 0 }, 4, 0, 0, 400, 300).scale, MAX_SCALE);
});

test("panning never opens an empty margin beside the picture", () => {
  assert.deepEqual(clampView({ scale: 2, x: 50, y: -1000 }, 400, 300), { scale: 2, x: 0, y: -300 });
  assert.deepEqual(clampView({ scale: 1, x: -20, y: 20 }, 400, 300), { scale: 1, x: 0, y: 0 });
  // Zooming out at a corner pulls the picture back to cover the viewport.
  assert.deepEqual(zoomAbout({ scale: 4, x: -1200, y: -900 }, 0.5, 0, 0, 400, 300), { scale: 2, x: -400, y: -300 });
});
