// The results page's exports: an image's cutout made into the picture the
// Export panel asks for (export-cutout, done by the engine) and read at once
// into a Blob of the page's own; the PNG ones kept a while for the preview and
// Copy, and the preview of the selected image brought up to date after a pause.
export { requestExport, PngExports, ExportPreview };

import { asPng, isPlainCutout } from "../shared/export_options.js";
import { describe, t } from "../shared/i18n.js";
import { ErrorCode, OffcutFailure, Target, Type, message, toFailure } from "../shared/protocol.js";
import { readCutout } from "../shared/read_cutout.js";
import { ItemState } from "./batch.js";

const PREVIEW_PAUSE_MS = 300; // a colour dragged or a number typed asks once, when the hand rests
const KEPT_PNGS = 6;

/** `item`'s cutout (finished) as `options` make it: the engine's reply {mime, extension, width, height, box, …} and a Blob. */
async function requestExport(item, options) {
  const reply = await chrome.runtime.sendMessage(message(Target.background, Type.exportCutout, {
    cutoutUrl: item.result.previewUrl, photoUrl: item.file ? item.thumbUrl : item.url, pageUrl: item.pageUrl, options,
  }));
  if (!reply?.ok) throw reply?.error ?? new OffcutFailure(ErrorCode.internal, t("noAnswer"));
  // The engine's URL lives only until its document closes: read it now, then it is the page's.
  const bytes = await readCutout(reply.result.url);
  return { ...reply.result, blob: new Blob([bytes], { type: reply.result.mime }) };
}

/** PNG exports by image and options, the last few asked kept (the preview shows them, Copy takes them). */
class PngExports {
  constructor() {
    this.entries = new Map(); // "<item id> <options>" → promise of {…requestExport's, previewUrl}
  }

  get(item, options) {
    const png = asPng(options);
    const key = `${item.id} ${JSON.stringify(png)}`;
    let entry = this.entries.get(key);
    this.entries.delete(key); // asked again: the most recent
    entry ??= requestExport(item, png).then((exported) => ({ ...exported, previewUrl: URL.createObjectURL(exported.blob) }));
    this.entries.set(key, entry);
    entry.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key); // a failure is asked again next time
    });
    for (const [oldKey, old] of this.entries) {
      if (this.entries.size <= KEPT_PNGS) break;
      this.entries.delete(oldKey);
      old.then((exported) => URL.revokeObjectURL(exported.previewUrl), () => {});
    }
    return entry;
  }
}

/** The preview of the selected image as Save would make it: the cutout itself for plain options, else a PNG export. */
class ExportPreview {
  /** `onSettled(item, error)`: an export for the preview ended (error: null, or the failure the page shows on the item). */
  constructor(view, pngs, onSettled) {
    this.view = view;
    this.pngs = pngs;
    this.onSettled = onSettled;
    this.timer = null;
    this.asked = 0; // only the latest request may change the preview
  }

  /**
   * Show `item` under `options`. `keepShown`: the picture shown stays (dimmed) until the
   * export comes (the options changed); else it goes (another image's, or the plain cutout).
   */
  update(item, options, { keepShown }) {
    clearTimeout(this.timer);
    const asked = ++this.asked;
    if (item?.state !== ItemState.done) return;
    if (isPlainCutout(options)) {
      this.view.showExported(item, null);
      return;
    }
    this.view.previewUpdating(keepShown);
    this.timer = setTimeout(async () => {
      try {
        const exported = await this.pngs.get(item, options);
        if (asked === this.asked) this.view.showExported(item, exported);
        this.onSettled(item, null);
      } catch (err) {
        const { error } = toFailure(err);
        if (asked === this.asked) this.view.previewFailed(describe(error));
        this.onSettled(item, error);
      }
    }, PREVIEW_PAUSE_MS);
  }
}
