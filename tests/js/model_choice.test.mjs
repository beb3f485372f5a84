// Which model an image is cut out with (extension/background/model_choice.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { chooseModel, usableModels } from "../../extension/background/model_choice.js";
import { ErrorCode } from "../../extension/shared/protocol.js";

const best = { model: "isnet-fusion", title: "ISNet + fusion", network: { bytes: 88_200_000 } };
const fast = { model: "u2netp", title: "U²-NetP" };
const fresh = { best, fast, bestStored: false };
const downloaded = { best, fast, bestStored: true };

test("automatic: the recommended model once downloaded, the fast one until then", () => {
  assert.equal(chooseModel(fresh), "u2netp");
  assert.equal(chooseModel(downloaded), "isnet-fusion");
  assert.equal(chooseModel(downloaded, ""), "isnet-fusion");
  assert.deepEqual(usableModels(fresh), ["u2netp"]);
  assert.deepEqual(usableModels(downloaded), ["isnet-fusion", "u2netp"]);
});

test("the user's default wins while it can be used; one removed since falls back, never fails", () => {
  assert.equal(chooseModel(downloaded, "u2netp"), "u2netp");
  assert.equal(chooseModel(fresh, "isnet-fusion"), "u2netp");
  assert.equal(chooseModel(downloaded, "no-such-model"), "isnet-fusion");
});

test("a model named by the request is used as is, whatever the default", () => {
  assert.equal(chooseModel(downloaded, "isnet-fusion", "u2netp"), "u2netp");
  assert.equal(chooseModel(downloaded, "u2netp", "isnet-fusion"), "isnet-fusion");
  assert.equal(chooseModel(fresh, undefined, "u2netp"), "u2netp");
});

test("a requested model not downloaded is refused with its title and size; an unknown one is a bad request", () => {
  assert.throws(() => chooseModel(fresh, undefined, "isnet-fusion"), (err) =>
    err.code === ErrorCode.modelNotInstalled && err.message.includes("88.2 MB") &&
    err.words.key === "errorModelNotInstalled" && err.words.params[1] === "88.2");
  assert.throws(() => chooseModel(downloaded, undefined, "isnet"), (err) =>
    err.code === ErrorCode.badRequest && err.message.includes('"u2netp"'));
});
