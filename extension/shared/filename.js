// Download names: "<original-name>-nobg.png", derived from the URL and
// reduced to a safe character set, so it can never name a path outside the
// downloads folder (no separators, no "..", no leading dots, bounded length),
// while names in any script survive whole (letters, digits and their marks).
export { outputFilename, nameFromUrl };

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
