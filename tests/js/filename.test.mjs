// Download names derived from URLs and file names (extension/shared/filename.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { DEFAULT_PATTERN, outputFilename, patternFilename } from "../../extension/shared/filename.js";

test("the name comes from the URL's last path segment, extension replaced", () => {
  assert.equal(outputFilename("https://example.com/photos/cat.jpeg?size=2"), "cat-nobg.png");
  assert.equal(outputFilename("https://example.com/a/b%20c.webp"), "b c-nobg.png");
});

test("a file's own name wins over its blob: URL", () => {
  assert.equal(outputFilename("blob:chrome-extension://id/123", "Holiday 2026.PNG"), "Holiday 2026-nobg.png");
});

test("URLs without a usable name fall back to 'image'", () => {
  for (const url of ["data:image/png;base64,AAAA", "blob:https://x/1", "https://example.com/", "not a url"]) {
    assert.equal(outputFilename(url), "image-nobg.png", url);
  }
});

test("no name can leave the downloads folder or hide itself", () => {
  for (const name of ["../../etc/passwd", "..\\..\\boot.ini", ".bashrc", "a/b/c.png", "con\u0000trol.jpg"]) {
    const out = outputFilename("https://x/", name);
    assert.doesNotMatch(out, /[\\/]|\.\.|^\./, `${name} → ${out}`);
    assert.ok(out.endsWith("-nobg.png"));
  }
});

test("long names are bounded", () => {
  const out = outputFilename("https://x/", `${"x".repeat(500)}.jpg`);
  assert.ok(out.length <= 80 + "-nobg.png".length, out);
});

test("real-world names keep their script, whole characters, and a name Windows accepts", () => {
  const cases = [
    // (file name, expected download name)
    ["हिन्दी.jpg", "हिन्दी-nobg.png"], // Devanagari vowel signs are combining marks: kept
    ["Ünïcödé façade.png", "Ünïcödé façade-nobg.png"],
    ["写真 2026-07-01.jpeg", "写真 2026-07-01-nobg.png"],
    ["صورة العائلة.webp", "صورة العائلة-nobg.png"],
    ["Ελληνικά.gif", "Ελληνικά-nobg.png"],
    ["con.x.png", "con_.x-nobg.png"], // "con.x-nobg.png" is a reserved name on Windows
    ["LPT1.backup.jpg", "LPT1_.backup-nobg.png"],
    ["CON.jpg", "CON-nobg.png"], // "CON-nobg" is not reserved: left alone
    ["party 🎉.png", "party-nobg.png"], // symbols go, and the "_" they leave at the end
    ["résumé\u0000.jpg", "résumé-nobg.png"],
  ];
  for (const [name, expected] of cases) assert.equal(outputFilename("https://x/", name), expected, name);
});

test("a bounded name never ends in half a character", () => {
  for (const unit of ["𠜎", "👩‍👩‍👧", "é", "क्षि"]) { // astral letter, ZWJ emoji, e + accent, conjunct
    const out = outputFilename("https://x/", `${"a".repeat(79)}${unit.repeat(5)}.png`);
    assert.ok(out.isWellFormed(), `${unit}: ${out}`);
    assert.ok([...new Intl.Segmenter().segment(out.replace("-nobg.png", ""))].length <= 80, out);
  }
});

test("a file-name pattern fills in the name, the place in the list and the day, and stays a safe name", () => {
  const image = { name: "Holiday 2026.JPG", index: 7, date: new Date(2026, 11, 2) };
  assert.equal(patternFilename(DEFAULT_PATTERN, image), "Holiday 2026-nobg.png");
  assert.equal(patternFilename("{date} {n} {name}", image), "2026-12-02 007 Holiday 2026.png");
  assert.equal(patternFilename("", image), "Holiday 2026-nobg.png", "an empty pattern is the default");
  assert.equal(patternFilename("cutout {x}", image), "cutout _x.png", "an unknown token is plain text, made safe");
  assert.equal(patternFilename("con", image), "con_.png", "Windows reserves con.png");
  assert.equal(patternFilename("aux.{n}", image), "aux_.007.png");
  for (const pattern of ["../{name}", "{name}/../../etc", "..", "/tmp/{n}", "con"]) {
    const out = patternFilename(pattern, image);
    assert.doesNotMatch(out, /[\\/]|\.\.|^\./, `${pattern} → ${out}`);
    assert.ok(out.endsWith(".png"));
  }
});

test("a pattern's name ends with the export format's extension, by the same rules", () => {
  const image = { name: "Holiday 2026.JPG", index: 7, date: new Date(2026, 11, 2) };
  assert.equal(patternFilename(DEFAULT_PATTERN, { ...image, extension: "webp" }), "Holiday 2026-nobg.webp");
  assert.equal(patternFilename("{n}", { ...image, extension: "jpg" }), "007.jpg");
  assert.equal(patternFilename("con", { ...image, extension: "jpg" }), "con_.jpg", "Windows reserves con.jpg");
  assert.equal(patternFilename("{name}", { ...image, name: "x.webp", extension: "webp" }), "x.webp", "not x.webp.webp");
  for (const extension of ["", "../png", "png/x", ".png", "PNG ", "a".repeat(9)]) {
    assert.throws(() => patternFilename(DEFAULT_PATTERN, { ...image, extension }), TypeError, extension);
  }
});
