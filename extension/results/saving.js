// Save, Save all and Copy of the results page, as the Export panel's options
// make the pictures: the cutout the page holds when they are plain (no engine
// call), else the engine's export. An export that fails is said on its image.
export { Saving };

import { asPng, isPlainCutout } from "../shared/export_options.js";
import { describe, t } from "../shared/i18n.js";
import { toFailure } from "../shared/protocol.js";
import { saveToDownloads } from "../shared/save.js";
import { ItemState } from "./batch.js";
import { requestExport } from "./exports.js";

class Saving {
  /** `nameOf(item, options)`: the file name for one image; `folder`: Save all's folder of Downloads. */
  constructor({ view, batch, pngExports, folder, nameOf }) {
    Object.assign(this, { view, batch, pngExports, folder, nameOf });
  }

  async saveOne(item, options) {
    if (item?.state !== ItemState.done) return;
    try {
      const picture = await this.pictureToSave(item, options);
      const { filename } = await picture.save(this.nameOf(item, options));
      this.view.say(t("statusSaved", filename));
    } catch (err) {
      this.view.say(describe(toFailure(err).error), true);
    }
  }

  /**
   * Every finished image into this batch's folder, one after another. An export that
   * fails is said on its image and the others are saved; a save that fails stops them all.
   */
  async saveAll(options) {
    let saved = 0;
    let failed = 0;
    if (!isPlainCutout(options)) this.view.say(t("statusSaving"));
    for (const item of this.batch.results()) {
      let picture;
      try {
        picture = await this.pictureToSave(item, options);
      } catch {
        failed += 1;
        continue;
      }
      try {
        await picture.save(`${this.folder}/${this.nameOf(item, options)}`);
        saved += 1;
      } catch (err) {
        this.view.say(describe(toFailure(err).error), true);
        return;
      }
    }
    this.view.say(failed ? t("exportSavedAllButFailed", saved, this.folder, failed)
      : t("resultsSavedAll", saved, this.folder), failed > 0);
  }

  /** What Save writes for a finished `item`: {save(filename)}; an export's failure is shown on the item, and thrown. */
  async pictureToSave(item, options) {
    if (isPlainCutout(options)) return { save: (filename) => saveToDownloads(item.result.previewUrl, filename) };
    let exported;
    try {
      exported = await requestExport(item, options);
    } catch (err) {
      this.view.note(item, describe(toFailure(err).error));
      throw err;
    }
    this.view.note(item, "");
    const url = URL.createObjectURL(exported.blob);
    return { save: (filename) => saveToDownloads(url, filename).finally(() => URL.revokeObjectURL(url)) };
  }

  /** The clipboard takes PNG only: the same options as Save, as a PNG. */
  async copyOne(item, options) {
    if (item?.state !== ItemState.done) return;
    // The picture as a promise: the clipboard is asked now, while the click still counts as the user's.
    const png = isPlainCutout(asPng(options)) ? Promise.resolve(item.result.png)
      : this.pngExports.get(item, options).then((exported) => exported.blob);
    const exportFailure = png.then(() => null, (err) => err);
    try {
      await navigator.clipboard.write([new ClipboardItem({ "image/png": png })]);
      this.view.say(t("statusCopied"));
    } catch (err) {
      const failedExport = await exportFailure;
      const failure = toFailure(failedExport ?? err).error;
      if (failedExport) this.view.note(item, describe(failure));
      this.view.say(describe(failure), true);
    }
  }
}
