// The export options' shape, rules and remembered values (extension/shared/export_options.js).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  DEFAULT_EXPORT_OPTIONS, EXPORT_FORMATS, asPng, canBeTransparent, changeExportOptions, exportExtension, exportMime, isPlainCutout,
  storedExportOptions, validateExportOptions,
} from "../../extension/shared/export_options.js";

const SPEC = JSON.parse(readFileSync(new URL("../../core_py/offcut/export_spec.json", import.meta.url), "utf8"));
const PLAIN = { background: "transparent", crop: null, format: "png", maxSize: null, onlyMask: false };

test("the defaults are the spec's, and they give the plain cutout", () => {
  assert.deepEqual(DEFAULT_EXPORT_OPTIONS, SPEC.defaults);
  assert.deepEqual(validateExportOptions({}), PLAIN);
  assert.equal(isPlainCutout(validateExportOptions({})), true);
  assert.deepEqual(Object.keys(EXPORT_FORMATS), Object.keys(SPEC.formats));
});

test("valid options come back normalised, as a copy", () => {
  const given = { background: "#1E6FD9", crop: { margin: 12.5, unit: "%" }, format: "webp", maxSize: 1024, onlyMask: false };
  const options = validateExportOptions(given);
  assert.deepEqual(options, { ...given, background: "#1e6fd9" });
  assert.notEqual(options.crop, given.crop);
  assert.deepEqual(validateExportOptions({ format: "jpeg", background: "blur" }),
    { ...PLAIN, format: "jpeg", background: "blur" }, "a missing field takes its default");
});

test("the limits' own values are accepted", () => {
  const { min, max } = SPEC.maxSizeLimits;
  for (const maxSize of [min, max]) assert.equal(validateExportOptions({ maxSize }).maxSize, maxSize);
  for (const [unit, limit] of Object.entries(SPEC.marginLimits)) {
    for (const margin of [0, limit]) assert.deepEqual(validateExportOptions({ crop: { margin, unit } }).crop, { margin, unit });
  }
});

// (options, the field the message must name, the value it must show)
const REFUSED = [
  [null, "object", "null"],
  [[], "object", "[]"],
  ["png", "object", '"png"'],
  [new Date(0), "object", "1970"],
  [{ colour: "#ffffff" }, "field", '"colour"'],
  [{ background: "#fff" }, "background", '"#fff"'],
  [{ background: "white" }, "background", '"white"'],
  [{ background: "#12345g" }, "background", '"#12345g"'],
  [{ background: null }, "background", "null"],
  [{ crop: true }, "crop", "true"],
  [{ crop: [] }, "crop", "[]"],
  [{ crop: { margin: -1, unit: "px" } }, "crop.margin", "-1"],
  [{ crop: { margin: SPEC.marginLimits.px + 1, unit: "px" } }, "crop.margin", String(SPEC.marginLimits.px + 1)],
  [{ crop: { margin: SPEC.marginLimits["%"] + 1, unit: "%" } }, "crop.margin", String(SPEC.marginLimits["%"] + 1)],
  [{ crop: { margin: Number.NaN, unit: "px" } }, "crop.margin", "NaN"],
  [{ crop: { margin: "5", unit: "px" } }, "crop.margin", '"5"'],
  [{ crop: { margin: 5, unit: "em" } }, "crop.unit", '"em"'],
  [{ crop: { margin: 5 } }, "crop.unit", "undefined"],
  [{ crop: { margin: 5, unit: "px", side: "top" } }, "crop", '"side"'],
  [{ format: "gif" }, "format", '"gif"'],
  [{ format: "PNG" }, "format", '"PNG"'],
  [{ maxSize: SPEC.maxSizeLimits.min - 1 }, "maxSize", String(SPEC.maxSizeLimits.min - 1)],
  [{ maxSize: SPEC.maxSizeLimits.max + 1 }, "maxSize", String(SPEC.maxSizeLimits.max + 1)],
  [{ maxSize: 100.5 }, "maxSize", "100.5"],
  [{ maxSize: "100" }, "maxSize", '"100"'],
  [{ onlyMask: "true" }, "onlyMask", '"true"'],
  [{ onlyMask: 1 }, "onlyMask", "1"],
  [{ format: "jpeg" }, "format", '"jpeg"'], // JPEG cannot be transparent
  [{ format: "jpeg", background: "transparent" }, "transparent", '"jpeg"'],
];

for (const [value, field, shown] of REFUSED) {
  test(`refused: ${String(JSON.stringify(value))}`, () => {
    assert.throws(() => validateExportOptions(value), (err) => {
      assert.equal(err.code, "bad-request");
      assert.ok(err.message.includes(field), `${err.message} does not name ${field}`);
      assert.ok(err.message.includes(shown), `${err.message} does not show ${shown}`);
      return true;
    });
  });
}

test("the mask alone has no background, so JPEG takes it as it is", () => {
  assert.deepEqual(validateExportOptions({ format: "jpeg", onlyMask: true }), { ...PLAIN, format: "jpeg", onlyMask: true });
});

test("choosing JPEG while transparent turns the background white; other backgrounds stay", () => {
  assert.equal(changeExportOptions(PLAIN, { format: "jpeg" }).background, "#ffffff");
  assert.equal(changeExportOptions({ ...PLAIN, background: "#d93b3b" }, { format: "jpeg" }).background, "#d93b3b");
  assert.equal(changeExportOptions({ ...PLAIN, background: "blur" }, { format: "jpeg" }).background, "blur");
  assert.equal(changeExportOptions(PLAIN, { format: "webp" }).background, "transparent");
  const mask = changeExportOptions({ ...PLAIN, onlyMask: true }, { format: "jpeg" });
  assert.equal(mask.background, "transparent", "the mask's choice is kept for later");
  assert.equal(changeExportOptions(mask, { onlyMask: false }).background, "#ffffff");
  assert.deepEqual([PLAIN, { ...PLAIN, format: "webp" }, { ...PLAIN, format: "jpeg" }, mask].map(canBeTransparent),
    [true, true, false, true]);
  assert.throws(() => changeExportOptions(PLAIN, { maxSize: 3 }), /maxSize/);
  assert.deepEqual(PLAIN, { background: "transparent", crop: null, format: "png", maxSize: null, onlyMask: false },
    "the options changed are not touched");
});

test("only the transparent PNG of the whole picture at its size is the plain cutout", () => {
  assert.equal(isPlainCutout(PLAIN), true);
  for (const change of [{ background: "#ffffff" }, { background: "blur" }, { crop: { margin: 0, unit: "px" } },
    { format: "webp" }, { maxSize: 2000 }, { onlyMask: true }]) {
    assert.equal(isPlainCutout({ ...PLAIN, ...change }), false, JSON.stringify(change));
  }
});

test("each format's extension and type are the spec's", () => {
  assert.deepEqual(Object.keys(EXPORT_FORMATS).map((format) => [exportExtension({ format }), exportMime({ format })]),
    [["png", "image/png"], ["webp", "image/webp"], ["jpg", "image/jpeg"]]);
  const options = { ...PLAIN, format: "jpeg", background: "#ffffff" };
  assert.deepEqual(asPng(options), { ...options, format: "png" });
  assert.equal(options.format, "jpeg");
});

test("remembered options are used when they are valid, the defaults when not", () => {
  const kept = { ...PLAIN, background: "blur", crop: { margin: 10, unit: "px" }, format: "webp" };
  assert.deepEqual(storedExportOptions(kept), kept);
  for (const stored of [undefined, null, "png", { format: "jpeg" }, { maxSize: -4 }, { ...kept, extra: 1 }]) {
    assert.deepEqual(storedExportOptions(stored), PLAIN, JSON.stringify(stored));
  }
});
