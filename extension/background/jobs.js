// One job: the offscreen document turns an image URL into a verified PNG,
// then the service worker saves it under a safe name.
export { removeBackground };

import { outputFilename } from "../shared/filename.js";
import { ErrorCode, OffcutFailure, Type, cancelledFailure } from "../shared/protocol.js";
import {
  askOffscreen, closeOffscreenDocument, engineIdleCloseMs, fetchStallMs, recycleAfterPixels,
} from "./offscreen_client.js";
import { modelForJob } from "./models.js";
import { askAgainAsPage } from "./referrer.js";
import { saveToDownloads } from "../shared/save.js";

/**
 * context: {name?} a file's own name, {sourceUrl?} the URL the user pointed at, {pageUrl?} the page
 * it was on (right-click), {save?} false to leave saving to the caller (the popup's preview),
 * {model?} the catalog id to use (else the default as the job starts: model_choice.js);
 * jobId: the queue's id; signal: aborted when the user cancels the job.
 */
async function removeBackground(url, { name, sourceUrl, pageUrl, save = true, model } = {}, jobId = undefined,
  signal = undefined) {
  const chosen = await modelForJob(model); // a model not downloaded is refused here, before any work
  const cutout = await stoppable(signal, () => runPipeline(url, pageUrl, jobId, chosen));
  if (signal?.aborted) throw cancelledFailure(); // finished as it was cancelled: nothing is saved
  const filename = outputFilename(sourceUrl ?? url, name);
  const started = performance.now();
  const saved = save ? await saveToDownloads(cutout.pngUrl, filename) : { downloadId: null, filename };
  return {
    saved: save,
    downloadId: saved.downloadId,
    filename: saved.filename,
    width: cutout.width,
    height: cutout.height,
    backend: cutout.backend,
    threads: cutout.threads,
    model: cutout.model,
    bytes: cutout.bytes,
    alpha: cutout.alpha,
    timings: { ...cutout.timings, ...(save && { save: Math.round(performance.now() - started) / 1000 }) },
    previewUrl: cutout.pngUrl,
  };
}

/**
 * Run `work` on the engine; cancelling closes the engine document, which is
 * the one way to stop a graph mid-run (ONNX Runtime Web cannot be interrupted)
 * and also ends a download in flight. The next job starts a new document
 * (about a second, from the stored Python snapshot).
 */
async function stoppable(signal, work) {
  if (!signal) return work();
  signal.throwIfAborted();
  const stop = () => closeOffscreenDocument();
  signal.addEventListener("abort", stop, { once: true });
  try {
    return await work(); // a failure once aborted is reported as cancelled by the queue
  } finally {
    signal.removeEventListener("abort", stop);
  }
}

async function runPipeline(url, pageUrl, jobId, model) {
  const payload = {
    url, jobId, model, idleCloseMs: engineIdleCloseMs(), fetchStallMs: fetchStallMs(), recycleAfterPixels: recycleAfterPixels(),
  };
  // Refused without a Referer: asked again as the page itself showed the image (a new job id: a new run).
  return askAgainAsPage(url, pageUrl, () => askOffscreen(Type.runPipeline, payload),
    () => askOffscreen(Type.runPipeline, { ...payload, jobId: `${jobId}/page` }).catch(signInNeeded));
}

function signInNeeded(err) {
  if (err.code !== ErrorCode.fetchForbidden) throw err;
  throw new OffcutFailure(ErrorCode.fetchForbidden, `${err.message.replace(/\.$/, "")}, even when asked as its page ` +
    "asks: the site may need you to be signed in. Save the image from the page (right-click → Save image as…) " +
    "and drop the file on Offcut's popup.", { key: "errorSignInNeeded", params: [] });
}
