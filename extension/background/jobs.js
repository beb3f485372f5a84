// One job: the offscreen document turns an image URL into a verified PNG,
// then the service worker saves it under a safe name.
export { removeBackground };

import { outputFilename } from "../shared/filename.js";
import { Type } from "../shared/protocol.js";
import { askOffscreen, engineIdleCloseMs, fetchStallMs } from "./offscreen_client.js";
import { saveToDownloads } from "./save.js";

/** context: {name?} a file's own name, {sourceUrl?} the URL the user pointed at; jobId: the queue's id. */
async function removeBackground(url, { name, sourceUrl } = {}, jobId = undefined) {
  const cutout = await askOffscreen(Type.runPipeline,
    { url, jobId, idleCloseMs: engineIdleCloseMs(), fetchStallMs: fetchStallMs() });
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
