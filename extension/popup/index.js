// Popup entry: paste/drop/choose an image → the one remove-background request.
import { handOver } from "../shared/handoff.js";
import { notAnImageError, watchImageInputs } from "../shared/image_inputs.js";
import { readCutout } from "../shared/read_cutout.js";
import { saveToDownloads } from "../shared/save.js";
import { LAST_ERROR_KEY } from "../shared/session_keys.js";
import { describe, localizePage, t } from "../shared/i18n.js";
import { ErrorCode, Target, Type, message, toFailure } from "../shared/protocol.js";
import { ModelOffer } from "./model_offer.js";
import { PopupView } from "./view.js";

// People who paste to preview or copy do not want a file each time: off unless they turn it on.
const SAVE_AUTOMATICALLY_KEY = "offcut.saveAutomatically";
const saveAutomatically = document.getElementById("save-automatically");
localizePage(document);
const view = new PopupView(document);
let current = null; // {originalUrl, result}

watchImageInputs(document, takeFiles);
chrome.runtime.onMessage.addListener((msg) => {
  // This popup's job's own stages, and the engine's boot while that job waits
  // on it; not another job's, nor a model download's (model_offer.js shows
  // those), nor a boot after the result (an engine is replaced after a large
  // image or a download).
  if (msg?.target !== Target.broadcast || msg.type !== Type.reportProgress || !current || current.settled) return;
  const { jobId, stage } = msg.payload ?? {};
  if (jobId === current.jobId || (jobId === undefined && stage !== "download")) view.stage(msg.payload);
});
document.getElementById("save-button").addEventListener("click", save);
chrome.storage.local.get(SAVE_AUTOMATICALLY_KEY).then((stored) => {
  saveAutomatically.checked = stored[SAVE_AUTOMATICALLY_KEY] === true;
});
saveAutomatically.addEventListener("change", () =>
  chrome.storage.local.set({ [SAVE_AUTOMATICALLY_KEY]: saveAutomatically.checked }));
document.getElementById("copy-button").addEventListener("click", copyCutout);
document.getElementById("cancel-button").addEventListener("click", cancelCurrent);
// Keyboard: Esc cancels the image being worked on, Ctrl+S saves the cutout,
// Ctrl+C copies it (unless text is selected: then it copies the text).
document.addEventListener("keydown", (event) => {
  const ctrl = event.ctrlKey || event.metaKey;
  if (event.key === "Escape" && current?.jobId && !current.result) {
    event.preventDefault(); // the popup would otherwise close
    cancelCurrent();
  } else if (ctrl && event.key.toLowerCase() === "s" && current?.result) {
    event.preventDefault(); // not the browser's "save page"
    save();
  } else if (ctrl && event.key.toLowerCase() === "c" && current?.result && !String(getSelection())) {
    event.preventDefault();
    copyCutout();
  }
});
showLastMenuError();
const modelOffer = new ModelOffer(document);
modelOffer.show().catch((err) => console.warn("[popup] could not list the models", err));
// The engine takes a few seconds to start: start it while the user finds an
// image. A failure here is reported by the request that needs the engine.
chrome.runtime.sendMessage(message(Target.background, Type.warmUp)).catch(() => {});

/**
 * One image is worked on here; several go to the results page (a tab: room
 * for a list, and it stays open where the popup closes when it loses focus),
 * the ones that are not images too, so that each is answered there.
 */
function takeFiles(files) {
  if (files.length > 1) {
    view.say(t("statusOpeningResults"));
    handOver(files.map((file) => ({ file, name: file.name })))
      .catch((err) => view.failed(toFailure(err).error));
    return;
  }
  const [file] = files;
  const refusal = notAnImageError(file);
  if (refusal) view.failed(refusal);
  else removeBackground(file);
}

async function removeBackground(file) {
  if (current) URL.revokeObjectURL(current.originalUrl);
  if (current?.result) URL.revokeObjectURL(current.result.previewUrl);
  // The offscreen document shares this page's origin, so it can read this
  // blob: URL itself: the pixels never travel in a message.
  const job = { originalUrl: URL.createObjectURL(file), name: file.name, jobId: crypto.randomUUID() };
  current = job;
  view.working(job.originalUrl);
  try {
    const reply = await chrome.runtime.sendMessage(
      message(Target.background, Type.removeBackground,
        { url: job.originalUrl, name: file.name, jobId: job.jobId, save: saveAutomatically.checked }));
    if (current !== job) return; // another image was given meanwhile: this answer is stale
    if (reply?.ok) {
      // A copy of our own: the engine's blob: URL dies when its idle document
      // closes, and Save / Copy must keep working while this page is open.
      const png = await readCutout(reply.result.previewUrl);
      if (current !== job) return;
      current.result = { ...reply.result, png, previewUrl: URL.createObjectURL(png) };
      view.done(current.result, modelOffer.isFast(current.result.model));
    } else if (reply?.error?.code === ErrorCode.cancelled) {
      view.cancelled();
    } else {
      view.failed(reply?.error ?? { code: ErrorCode.internal, message: t("noAnswer") });
    }
  } catch (err) {
    // Whatever failed (the message, the read-back), the popup says so: it never stays on "Working".
    if (current === job) view.failed(toFailure(err).error);
  } finally {
    job.settled = true;
  }
}

async function cancelCurrent() {
  if (!current?.jobId || current.result) return;
  view.say(t("statusCancelling"));
  await chrome.runtime.sendMessage(message(Target.background, Type.cancelJob, { jobId: current.jobId }));
}

/** Save PNG: into Downloads under the job's safe name (a second save of the same name is numbered). */
async function save() {
  if (!current?.result) return;
  view.say(t("statusSaving"));
  try {
    const { filename } = await saveToDownloads(current.result.previewUrl, current.result.filename);
    current.result.saved = true;
    view.saved(filename);
  } catch (err) {
    view.failed(toFailure(err).error);
  }
}

async function copyCutout() {
  if (!current?.result) return;
  await navigator.clipboard.write([new ClipboardItem({ "image/png": current.result.png })]);
  view.say(t("statusCopied"));
}

async function showLastMenuError() {
  const { [LAST_ERROR_KEY]: last } = await chrome.storage.session.get(LAST_ERROR_KEY);
  if (last) view.failed({ code: last.code, message: t("lastRightClickFailed", describe(last)) });
}
