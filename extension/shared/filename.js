// Download names: "<original-name>-nobg.png", derived from the URL and
// reduced to a safe character set, so it can never name a path outside the
// downloads folder (no separators, no "..", no leading dots, bounded length),
// while names in any script survive whole (letters, digits and their marks).
export { outputFilename, nameFromUrl, patternFilename, DEFAULT_PATTERN };

const MAX_STEM = 80; // user-perceived characters (grapheme clusters), never half of one
// Windows refuses these as a file's base name (the part before the first dot),
// whatever follows: "con.x-nobg.png" cannot be created there.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const IMAGE_EXTENSION = /\.(png|jpe?g|jfif|gif|webp|avif|bmp|ico|tiff?)$/i;

/** name: the file's own name where there is one (a dropped or chosen file). */
function outputFilename(url, name) {
  const stem = name ? name.replace(IMAGE_EXTENSION, "") : stemFromUrl(url);
  return `${safeStem(stem)}-nobg.png`;
}

// The results page's file-name pattern: {name} the image's own name (without
// its extension), {n} its place in the list (001, 002, …), {date} the day
// (YYYY-MM-DD). What it makes passes through the same rules as any name.
const DEFAULT_PATTERN = "{name}-nobg";
const TOKENS = /\{(name|n|date)\}/g;

/**
 * `pattern` filled in for one image: {name, index (1-based), date (a Date),
 * extension (the format's, shared/export_options.js; default "png")} → "<stem>.<extension>".
 */
function patternFilename(pattern, { name, index, date, extension = "png" }) {
  if (!/^[a-z0-9]{1,8}$/.test(extension)) throw new TypeError(`Not a file extension: ${String(extension).slice(0, 40)}`);
  const values = {
    name: safeStem(name.replace(IMAGE_EXTENSION, "")),
    n: String(index).padStart(3, "0"),
    date: `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`,
  };
  const stem = safeStem((pattern || DEFAULT_PATTERN).replace(TOKENS, (_, token) => values[token]));
  // The extension follows: a base name Windows reserves ("con") would name no file there.
  const [base, ...rest] = stem.split(".");
  return `${[WINDOWS_RESERVED.test(base) ? `${base}_` : base, ...rest].join(".")}.${extension}`;
}

function stemFromUrl(url) {
  return nameFromUrl(url).replace(IMAGE_EXTENSION, "");
}

/** The file name an http(s) image URL ends with, decoded; "" for data:, blob: and bare paths. */
function nameFromUrl(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return "";
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return "";
  const segments = parsed.pathname.split("/").filter(Boolean);
  const last = segments.at(-1) ?? "";
  try {
    return decodeURIComponent(last);
  } catch {
    return last; // kept percent-encoded; safeStem drops the "%"
  }
}

function safeStem(raw) {
  const cleaned = raw
    .normalize("NFKC")
    // Letters, digits and combining marks (Devanagari vowel signs, accents) stay;
    // separators, controls, symbols and lone surrogates become "_".
    .replace(/[^\p{L}\p{M}\p{N}._ -]+/gu, "_")
    .replace(/\.{2,}/g, ".")
    .replace(/^[\s._-]+|[\s._-]+$/g, "");
  const kept = [...graphemes.segment(cleaned)].slice(0, MAX_STEM).map((g) => g.segment).join("");
  const stem = kept.replace(/[\s._-]+$/g, "");
  const [base, ...rest] = stem.split(".");
  if (rest.length && WINDOWS_RESERVED.test(base)) return [`${base}_`, ...rest].join(".");
  return stem || "image";
}
