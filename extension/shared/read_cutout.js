// A finished cutout copied out of the engine document into the page that shows it.
export { readCutout };

import { t } from "./i18n.js";
import { ErrorCode, OffcutFailure } from "./protocol.js";

/**
 * The PNG at the engine's blob: URL, as a Blob made here: that URL dies when
 * the idle engine document closes, and Save / Copy must keep working while
 * the page is open. Not `response.blob()`: with under ~4 GB free on the disk,
 * Chromium cannot keep a blob built from a large response body (a 12 MP
 * cutout, 13 MB), and that read fails every time.
 */
async function readCutout(url) {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return new Blob([await response.arrayBuffer()], { type: "image/png" });
  } catch (err) {
    console.warn("[offcut] could not read the cutout back", url, err);
    throw new OffcutFailure(ErrorCode.engineFailed, t("errorCutoutLost"), { key: "errorCutoutLost", params: [] });
  }
}
