// Download names: "<original-name>-nobg.png", derived from the URL and
// reduced to a safe character set, so it can never name a path outside the
// downloads folder (no separators, no "..", no leading dots, bounded length).
export { outputFilename };

const MAX_STEM = 80;
const IMAGE_EXTENSION = /\.(png|jpe?g|jfif|gif|webp|avif|bmp|ico|tiff?)$/i;

/** name: the file's own name where there is one (a dropped or chosen file). */
function outputFilename(url, name) {
  const stem = name ? name.replace(IMAGE_EXTENSION, "") : stemFromUrl(url);
  return `${safeStem(stem)}-nobg.png`;
}

function stemFromUrl(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return "";
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return "";
  const segments = parsed.pathname.split("/").filter(Boolean);
  let last = segments.at(-1) ?? "";
  try {
    last = decodeURIComponent(last);
  } catch {
    // keep it percent-encoded; safeStem drops the "%"
  }
  return last.replace(IMAGE_EXTENSION, "");
}

function safeStem(raw) {
  const stem = raw
    .normalize("NFKC")
    .replace(/[^\p{L}\p{N}._ -]+/gu, "_") // no separators, controls or reserved characters
    .replace(/\.{2,}/g, ".")
    .replace(/^[\s._-]+|[\s._-]+$/g, "")
    .slice(0, MAX_STEM);
  return stem || "image";
}
