// One job: the offscreen document turns an image URL into a verified PNG,
// then the service worker saves it under a safe name.
export { removeBackground };

import { outputFilename } from "../shared/filename.js";
import { ErrorCode, OffcutFailure, Type } from "../shared/protocol.js";
import { askOffscreen, engineIdleCloseMs, fetchStallMs } from "./offscreen_client.js";
import { withPageReferrer } from "./referrer.js";
import { saveToDownloads } from "./save.js";

/**
 * context: {name?} a file's own name, {sourceUrl?} the URL the user pointed at, {pageUrl?} the page
 * it was on (right-click); jobId: the queue's id.
 */
async function removeBackground(url, { name, sourceUrl, pageUrl } = {}, jobId = undefined) {
  const cutout = await runPipeline(url, pageUrl, jobId);
  const started = performance.now();
  const saved = await saveToDownloads(cutout.pngUrl, outputFilename(sourceUrl ?? url, name));
  return {
    downloadId: saved.downloadId,
    filename: saved.filename,
    width: cutout.width,
    height: cutout.height,
    backend: cutout.backend,
    threads: cutout.threads,
    bytes: cutout.bytes,
    alpha: cutout.alpha,
    timings: { ...cutout.timings, save: Math.round(performance.now() - started) / 1000 },
    previewUrl: cutout.pngUrl,
  };
}

async function runPipeline(url, pageUrl, jobId) {
  const payload = { url, jobId, idleCloseMs: engineIdleCloseMs(), fetchStallMs: fetchStallMs() };
  try {
    return await askOffscreen(Type.runPipeline, payload);
  } catch (err) {
    if (err.code !== ErrorCode.fetchForbidden || !/^https?:/.test(pageUrl ?? "")) throw err;
  }
  // Refused without a Referer: ask again as the page itself showed the image (a new job id: a new run).
  try {
    return await withPageReferrer(url, pageUrl, () => askOffscreen(Type.runPipeline, { ...payload, jobId: `${jobId}/page` }));
  } catch (err) {
    if (err.code !== ErrorCode.fetchForbidden) throw err;
    throw new OffcutFailure(ErrorCode.fetchForbidden, `${err.message.replace(/\.$/, "")}, even when asked as its page ` +
      "asks: the site may need you to be signed in. Save the image from the page (right-click → Save image as…) " +
      "and drop the file on Offcut's popup.");
  }
}
