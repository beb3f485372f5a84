// Which shipped graph a provider runs (extension/offscreen/model.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { graphEntry, webGpuFeatures } from "../../extension/offscreen/model.js";

const int8Row = {
  model: "isnet-fusion", file: "isnet-fusion.onnx", requiredWebGpuFeatures: [],
  webgpu: { file: "isnet-fusion.webgpu.onnx", requiredWebGpuFeatures: ["shader-f16"] },
};
const floatRow = { model: "isnet", file: "isnet.onnx", requiredWebGpuFeatures: ["shader-f16"] };

test("WASM runs the row's own graph; WebGPU its float variant when the row ships one", () => {
  assert.equal(graphEntry(int8Row, "wasm"), int8Row);
  assert.equal(graphEntry(int8Row, "webgpu"), int8Row.webgpu);
  assert.equal(graphEntry(floatRow, "webgpu"), floatRow);
  assert.equal(graphEntry(floatRow, "wasm"), floatRow);
});

test("the WebGPU features asked for are those of the graph WebGPU would run", () => {
  assert.deepEqual(webGpuFeatures(int8Row), ["shader-f16"]);
  assert.deepEqual(webGpuFeatures(floatRow), ["shader-f16"]);
  assert.deepEqual(webGpuFeatures({ model: "x", file: "x.onnx" }), []);
});
