// Service worker entry: only routes. Menus, messages, downloads and the job
// queue; all heavy work happens in the offscreen document. Listeners are
// registered synchronously so Chrome can wake this worker for them.
import {
  ErrorCode, Target, Type, dispatcher, fromThisExtension, toFailure, validateExportRequest, validateImageUrl,
  validateJobId,
} from "../shared/protocol.js";
import { validateExportOptions } from "../shared/export_options.js";
import { RESULTS_PAGE, handOver } from "../shared/handoff.js";
import { clearBadge, showBusy, showCancelled, showDone, showFailure, showProgress } from "./badge.js";
import { removeBackground } from "./jobs.js";
import { createMenus, onMenuClicked } from "./menu.js";
import { OFFER_ID, answerOffer, offerBestModel } from "./model_notice.js";
import {
  cancelInstall, defaultModel, dropStaleModelFiles, installModel, bestModelMissed, listModels, modelForJob, modelSource, setModelSource,
  removeModel, usableModelRows,
} from "./models.js";
import {
  askOffscreen, closeOffscreenDocument, engineIdleCloseMs, fetchStallMs, setEngineIdleCloseMs, setFetchStallMs,
  setRecycleAfterPixels,
} from "./offscreen_client.js";
import { JobQueue } from "./queue.js";
import { askAgainAsPage } from "./referrer.js";

const queue = new JobQueue(removeBackground);

/** `fromMenu`: a right-click, whose user may never open the popup, is offered the best model it missed. */
async function submit(url, context, jobId = undefined, { fromMenu = false } = {}) {
  showBusy();
  try {
    const result = await queue.submit(url, context, jobId);
    const missed = await bestModelMissed(result.model);
    showDone(result.filename, missed);
    if (missed && fromMenu) offerModelOnce();
    return result;
  } catch (err) {
    const { error } = toFailure(err);
    if (error.code === ErrorCode.cancelled) showCancelled();
    else showFailure(error);
    throw err;
  }
}

/** The menu handler, also what tests call "the way Chrome would"; answers like a message. */
function contextMenuClicked(info, tab) {
  const fromMenu = (url, context) => submit(url, context, undefined, { fromMenu: true });
  const openInPage = async (image) => {
    await handOver([image]);
    return { opened: RESULTS_PAGE };
  };
  return onMenuClicked(info, tab, fromMenu, openInPage).then((result) => ({ ok: true, result }), toFailure);
}

let lastOffer = null; // the notification's content, for the tests (they cannot read a notification)

/** A right-click user may never open the popup: the best model is offered on a notification (model_notice.js). */
async function offerModelOnce() {
  try {
    const [{ models }, { baseUrl }] = await Promise.all([listModels(), modelSource()]);
    lastOffer = (await offerBestModel(models, baseUrl)) ?? lastOffer;
  } catch (err) {
    console.warn("[background] could not offer the best model", err);
  }
}

async function answerModelOffer(buttonIndex) {
  const { models } = await listModels();
  return answerOffer(buttonIndex, models, installModelShown);
}

chrome.runtime.onInstalled.addListener(({ reason }) => {
  refreshMenus();
  if (reason === "install" || reason === "update") prepareEngine();
  if (reason === "update") dropStaleModelFiles(); // files of a changed catalog row: never used again
});
chrome.contextMenus.onClicked.addListener(contextMenuClicked);
chrome.notifications.onButtonClicked.addListener((id, buttonIndex) => {
  if (id === OFFER_ID) answerModelOffer(buttonIndex);
});
chrome.runtime.onMessage.addListener(
  dispatcher(Target.background, {
    [Type.removeBackground]: (payload) => {
      const { url, name, jobId, save, model, pageUrl } = validateImageUrl(payload);
      return submit(url, { name, save, model, pageUrl }, jobId);
    },
    [Type.exportCutout]: (payload) => exportCutout(validateExportRequest(payload, validateExportOptions)),
    [Type.cancelJob]: async (payload) => ({ cancelled: await queue.cancel(validateJobId(payload.jobId)) }),
    [Type.getStatus]: async () => askOffscreen(Type.getStatus, { model: await modelForJob() }),
    [Type.warmUp]: async () => askOffscreen(Type.warmUp, { idleCloseMs: engineIdleCloseMs(), model: await modelForJob() }),
    [Type.engineIdle]: () => closeIdleEngine(),
    [Type.listModels]: () => listModels(),
    [Type.installModel]: (payload) => installModelShown(payload),
    [Type.cancelInstall]: (payload) => cancelInstall(payload),
    [Type.removeModel]: (payload) => removeModel(payload).finally(refreshMenus),
    [Type.modelSource]: () => modelSource(),
    [Type.setModelSource]: (payload) => setModelSource(payload),
    [Type.defaultModel]: (payload) => defaultModel(payload),
  }),
);
// Job progress, broadcast by the engine, shown on the badge: the right-click's only feedback while it works;
// a model download's too, when no job is using the badge.
chrome.runtime.onMessage.addListener((msg, sender) => {
  if (msg?.target !== Target.broadcast || msg.type !== Type.reportProgress || !fromThisExtension(sender)) return false;
  if ((msg.payload?.jobId && queue.busy) || (msg.payload?.stage === "download" && !queue.busy)) showProgress(msg.payload);
  return false; // an event: nobody waits for an answer
});
queue.resume();

/**
 * export-cutout, in the engine. A blurred background reads the photo again: one a site serves only to its own
 * pages is asked for again as that page asks (referrer.js), as remove-background's download is.
 */
function exportCutout(request) {
  return askAgainAsPage(request.photoUrl, request.pageUrl,
    () => askOffscreen(Type.exportCutout, { ...request, idleCloseMs: engineIdleCloseMs(), fetchStallMs: fetchStallMs() }));
}

/** install-model, its progress on the badge (see below) cleared when it ends, unless a job has the badge. */
function installModelShown(payload) {
  return installModel(payload).finally(() => {
    if (!queue.busy) clearBadge();
    refreshMenus();
  });
}

/** The context menus for the models usable now (menu.js); a failure leaves the old ones. */
function refreshMenus() {
  return usableModelRows().then(createMenus).catch((err) => console.warn("[background] could not update the menus", err));
}

// Long enough for the prepared engine to store its snapshot; then its memory goes back.
const PREPARED_ENGINE_IDLE_MS = 10_000;

/**
 * A new or updated build boots its engine once, unasked: that first boot
 * makes the Python snapshot (python_snapshot.js) every later one restores, so
 * the user's first image does not pay CPython's start-up (~3 s). The engine
 * then closes like any idle one, unless a job has come meanwhile.
 */
function prepareEngine() {
  modelForJob().then((model) => askOffscreen(Type.warmUp, { idleCloseMs: PREPARED_ENGINE_IDLE_MS, model })).catch((err) =>
    console.warn("[background] preparing the engine failed; the first image will start it:", err.message));
}

/** The engine has been idle for its period; close it unless a job arrived meanwhile. */
async function closeIdleEngine() {
  if (queue.busy) return { closed: false };
  await closeOffscreenDocument();
  return { closed: true };
}

// Test and debugging hooks on the worker's global (the bundle is a module).
self.offcut = Object.freeze({
  contextMenuClicked, closeOffscreenDocument, askEngine: askOffscreen, setEngineIdleCloseMs, setFetchStallMs, setRecycleAfterPixels,
  listModels, installModel: installModelShown, modelSource, setModelSource, defaultModel, dropStaleModelFiles, answerModelOffer,
  lastOffer: () => lastOffer,
});
