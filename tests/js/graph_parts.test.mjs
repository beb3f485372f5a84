// A graph put back from its skeleton and the network file (extension/offscreen/graph_parts.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { assembleGraph, halfToFloat } from "../../extension/offscreen/graph_parts.js";

const half = (...values) => new Uint8Array(new Uint16Array(values).buffer);

test("float16 bit patterns decode to their values, subnormals and infinities included", () => {
  assert.equal(halfToFloat(0x3c00), 1);
  assert.equal(halfToFloat(0xc000), -2);
  assert.equal(halfToFloat(0x3d00), 1.25);
  assert.equal(halfToFloat(0x0001), 2 ** -24);
  assert.equal(halfToFloat(0x7bff), 65504);
  assert.equal(halfToFloat(0xfc00), -Infinity);
  assert.ok(Number.isNaN(halfToFloat(0x7e00)));
  assert.ok(Object.is(halfToFloat(0x8000), -0));
});

test("copy and int8 parts fill their ranges; int8 rounds halves to even and clips to ±127", () => {
  // network: 1 padding byte (tensors lie at odd offsets in real files), then
  // w = [1.25, 1.75, -1.25, 100, 2^-24, -0.75] and c = [1, -2].
  const network = new Uint8Array([7, ...half(0x3d00, 0x3f00, 0xbd00, 0x5640, 0x0001, 0xba00), ...half(0x3c00, 0xc000)]);
  // graph: "AB" | int8 w (6) | "C" | c as is (4) | scales (2 channels × 4 bytes) | "D"
  const scales = new Uint8Array(new Float32Array([0.5, 0.25]).buffer);
  const skeleton = new Uint8Array([65, 66, 67, ...scales, 68]);
  const recipe = {
    bytes: 2 + 6 + 1 + 4 + 8 + 1,
    parts: [
      { at: 2, from: 1, count: 6, kind: "int8", channels: 2, scaleAt: 13 },
      { at: 9, from: 13, count: 2, kind: "copy" },
    ],
  };
  const graph = assembleGraph(skeleton, network, recipe);
  assert.deepEqual([...graph.subarray(0, 2)], [65, 66]);
  // channel 0 (scale 0.5): 2.5 → 2, 3.5 → 4, -2.5 → -2; channel 1 (0.25): 400 → 127, 2^-22 → 0, -3 → -3
  assert.deepEqual([...new Int8Array(graph.buffer, 2, 6)], [2, 4, -2, 127, 0, -3]);
  assert.equal(graph[8], 67);
  assert.deepEqual([...graph.subarray(9, 13)], [...half(0x3c00, 0xc000)]);
  assert.deepEqual([...graph.subarray(13, 21)], [...scales]);
  assert.equal(graph[21], 68);
});

test("a recipe that does not fit its skeleton or network file is refused", () => {
  const network = new Uint8Array(8);
  const part = { at: 1, from: 0, count: 2, kind: "copy" };
  assert.throws(() => assembleGraph(new Uint8Array(3), network, { bytes: 8, parts: [part] }), /7 bytes, expected 8/);
  assert.throws(() => assembleGraph(new Uint8Array(4), network, { bytes: 8, parts: [{ ...part, from: 6 }] }),
    /outside the network file/);
  assert.throws(() => assembleGraph(new Uint8Array(4), network, { bytes: 8, parts: [{ ...part, kind: "zip" }] }),
    /unknown kind/);
});
