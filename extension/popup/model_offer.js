// The popup's offer of the best-quality model while the fast one is in use:
// what it is, its exact size and licence, where it comes from, and a yes
// (Download) or "not now". Nothing is downloaded without that yes. During a
// download (also one started before this popup opened) it shows the bytes,
// the speed and the time left, and Cancel.
export { ModelOffer };

import { describe, megabytes, t } from "../shared/i18n.js";
import { askBackground as ask } from "../shared/requests.js";
import { ErrorCode, Target, Type, message } from "../shared/protocol.js";
import { MODEL_OFFER_LATER_KEY } from "../shared/session_keys.js";

const LATER_KEY = MODEL_OFFER_LATER_KEY; // "not now" holds until the browser restarts

class ModelOffer {
  constructor(doc) {
    const $ = (id) => doc.getElementById(id);
    this.section = $("model-offer");
    this.text = $("model-offer-text");
    this.actions = $("model-offer-actions");
    this.progressRow = $("model-progress-row");
    this.progress = $("model-progress");
    this.status = $("model-status");
    this.model = null; // the recommended row, when it is not stored
    this.models = []; // every row, as list-models gave them
    this.started = null; // {at, done} of the first progress seen, for the speed
    $("model-download").addEventListener("click", () => this.download());
    $("model-later").addEventListener("click", () => this.later());
    $("model-cancel").addEventListener("click", () => ask(Type.cancelInstall, { model: this.model?.id }));
    chrome.runtime.onMessage.addListener((msg) => {
      if (msg?.target === Target.broadcast && msg.payload?.stage === "download") this.showProgress(msg.payload);
    });
  }

  async show() {
    const [{ models }, { baseUrl }, later] = await Promise.all([
      ask(Type.listModels), ask(Type.modelSource), chrome.storage.session.get(LATER_KEY)]);
    this.models = models;
    const best = models.find((model) => model.recommended);
    if (!best || best.status !== "absent") return;
    this.model = best;
    this.text.textContent = t("modelOfferText", best.title, megabytes(best.bytes), best.licence, new URL(baseUrl).host);
    if (!later[LATER_KEY]) this.section.hidden = false;
  }

  /** Whether the fast tier made a cutout while the recommended model is not downloaded (not: chosen on purpose). */
  isFast(modelId) {
    return this.model !== null && this.models.some((model) => model.id === modelId && model.fast);
  }

  async download() {
    this.actions.hidden = true;
    this.progressRow.hidden = false;
    this.status.textContent = t("modelStarting");
    const reply = await chrome.runtime.sendMessage(message(Target.background, Type.installModel, { model: this.model.id }));
    this.progressRow.hidden = true;
    this.started = null;
    if (reply?.ok) {
      this.status.textContent = t("modelReady", this.model.title);
      return;
    }
    this.actions.hidden = false;
    this.status.textContent = reply?.error?.code === ErrorCode.cancelled
      ? t("modelCancelled") : describe(reply?.error ?? { message: t("noAnswer") });
  }

  later() {
    this.section.hidden = true;
    chrome.storage.session.set({ [LATER_KEY]: true });
  }

  /** A download of the offered model's file, whichever row asked for it (rows made from one file share it). */
  showProgress({ model, done, total }) {
    if (!this.model || (model !== this.model.id && !this.model.sharesDownloadWith.includes(model))) return;
    this.section.hidden = false;
    this.actions.hidden = true;
    this.progressRow.hidden = false;
    this.progress.max = total;
    this.progress.value = done;
    const now = performance.now();
    this.started ??= { at: now, done };
    const seconds = (now - this.started.at) / 1000;
    const speed = seconds > 0.5 ? (done - this.started.done) / seconds : 0;
    const left = speed > 0 ? Math.ceil((total - done) / speed) : "…";
    this.status.textContent = t("modelProgress", megabytes(done), megabytes(total), speed ? megabytes(speed) : "…", left);
  }
}
