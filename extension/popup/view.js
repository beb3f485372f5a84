// The popup's DOM: status line, progress bar, before/after preview.
export { PopupView };

import { describe, t } from "../shared/i18n.js";
import { stageText } from "../shared/stage_labels.js";

class PopupView {
  constructor(doc) {
    this.status = doc.getElementById("status");
    this.busyRow = doc.getElementById("working"); // progress bar + Cancel, shown while a job runs
    this.progress = doc.getElementById("progress");
    this.result = doc.getElementById("result");
    this.original = doc.getElementById("original");
    this.cutout = doc.getElementById("cutout");
    this.caption = doc.getElementById("cutout-caption");
    this.saveButton = doc.getElementById("save-button");
  }

  working(originalUrl) {
    this.result.hidden = true;
    this.original.src = originalUrl;
    this.say(t("statusWorking"));
    this.busyRow.hidden = false;
    this.progress.value = 0;
  }

  stage({ stage, done, total }) {
    const text = stageText(stage);
    if (text) this.say(text);
    this.progress.max = total;
    this.progress.value = done;
  }

  /** `byFastModel`: made by the fast tier (said on the caption: the user may want the best one). */
  done(result, byFastModel = false) {
    this.busyRow.hidden = true;
    this.cutout.src = result.previewUrl;
    const seconds = Object.values(result.timings).reduce((a, b) => a + b, 0).toFixed(1);
    this.caption.textContent = t("cutoutCaptionDone", result.width, result.height, result.backend) +
      (byFastModel ? ` · ${t("cutoutFastModel")}` : "");
    this.saveButton.hidden = result.saved;
    this.say(result.saved ? t("statusSavedIn", result.filename, seconds) : t("statusDoneIn", seconds));
    this.result.hidden = false;
  }

  failed(error) {
    this.busyRow.hidden = true;
    this.say(describe(error), true);
  }

  saved(filename) {
    this.saveButton.hidden = true;
    this.say(t("statusSaved", filename));
  }

  cancelled() {
    this.busyRow.hidden = true;
    this.say(t("statusCancelled"));
  }

  say(text, isError = false) {
    this.status.textContent = text;
    this.status.classList.toggle("error", isError);
  }
}
