// Which model an image is cut out with (extension/background/model_choice.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { chooseModel, rowStatus, usableModels } from "../../extension/background/model_choice.js";
import { ErrorCode } from "../../extension/shared/protocol.js";

// The build's rows, best quality first; two share ISNet's file, as in the catalog.
const fp16 = { sha256: "aa", bytes: 88_188_479 };
const rows = [
  { model: "isnet-fusion", title: "ISNet + fusion", network: fp16 },
  { model: "isnet", title: "ISNet", network: fp16 },
  { model: "isnet-quint8", title: "ISNet (smaller)", network: { sha256: "bb", bytes: 44_342_436 } },
  { model: "u2netp", title: "U²-NetP" },
];
const fresh = { rows, stored: new Set() };
const downloaded = { rows, stored: new Set(["aa"]) };
const smallOnly = { rows, stored: new Set(["bb"]) };

test("a row's status: shipped whole, or whether its network file is stored (shared files count for each row)", () => {
  assert.deepEqual(rows.map((row) => rowStatus(row, downloaded.stored)), ["stored", "stored", "absent", "packaged"]);
  assert.deepEqual(rows.map((row) => rowStatus(row, fresh.stored)), ["absent", "absent", "absent", "packaged"]);
});

test("automatic: the best model that can be used, the fast one until one is downloaded", () => {
  assert.equal(chooseModel(fresh), "u2netp");
  assert.equal(chooseModel(downloaded), "isnet-fusion");
  assert.equal(chooseModel(downloaded, ""), "isnet-fusion");
  assert.equal(chooseModel(smallOnly), "isnet-quint8");
  assert.deepEqual(usableModels(fresh), ["u2netp"]);
  assert.deepEqual(usableModels(downloaded), ["isnet-fusion", "isnet", "u2netp"]);
});

test("the user's default wins while it can be used; one removed since falls back, never fails", () => {
  assert.equal(chooseModel(downloaded, "u2netp"), "u2netp");
  assert.equal(chooseModel(downloaded, "isnet"), "isnet");
  assert.equal(chooseModel(fresh, "isnet-fusion"), "u2netp");
  assert.equal(chooseModel(smallOnly, "isnet"), "isnet-quint8");
  assert.equal(chooseModel(downloaded, "no-such-model"), "isnet-fusion");
});

test("a model named by the request is used as is, whatever the default", () => {
  assert.equal(chooseModel(downloaded, "isnet-fusion", "u2netp"), "u2netp");
  assert.equal(chooseModel(downloaded, "u2netp", "isnet"), "isnet");
  assert.equal(chooseModel(fresh, undefined, "u2netp"), "u2netp");
});

test("a requested model not downloaded is refused with its title and size; an unknown one is a bad request", () => {
  assert.throws(() => chooseModel(fresh, undefined, "isnet-fusion"), (err) =>
    err.code === ErrorCode.modelNotInstalled && err.message.includes("88.2 MB") &&
    err.words.key === "errorModelNotInstalled" && err.words.params[1] === "88.2");
  assert.throws(() => chooseModel(downloaded, undefined, "isnet-quint8"), (err) =>
    err.code === ErrorCode.modelNotInstalled && err.words.params[0] === "ISNet (smaller)" && err.words.params[1] === "44.3");
  assert.throws(() => chooseModel(downloaded, undefined, "modnet"), (err) =>
    err.code === ErrorCode.badRequest && err.message.includes('"u2netp"') && err.message.includes('"isnet-quint8"'));
});
