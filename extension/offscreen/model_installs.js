// Model downloads in flight, in the offscreen document (it outlives popups and
// the service worker's sleeps): one per model, joined by a second request for
// the same model, cancellable, their byte progress broadcast. The engine
// document is not closed for idleness while one runs.
export { ModelInstalls };

import { downloadableManifest } from "../shared/model_catalog.js";
import { downloadNetwork } from "./model_download.js";

class ModelInstalls {
  /** `host`: the PipelineHost (its idle timer is held while a download runs). */
  constructor(reportProgress, host) {
    this.reportProgress = reportProgress;
    this.host = host;
    // network file's digest → {promise, controller}: rows made from the same
    // file (isnet, isnet-fusion) share one download
    this.running = new Map();
  }

  async install({ model, base, idleCloseMs }) {
    const manifest = await downloadableManifest(model);
    const key = manifest.network.sha256;
    const known = this.running.get(key);
    if (known) return { ...(await known.promise), model };
    const controller = new AbortController();
    this.host.holdIdle();
    const promise = this.download(manifest, base, controller.signal).finally(() => {
      this.running.delete(key);
      this.host.releaseIdle(idleCloseMs);
    });
    this.running.set(key, { promise, controller });
    return promise;
  }

  async download(manifest, base, signal) {
    const { model } = manifest;
    const onProgress = ({ done, total }) => this.reportProgress({ model, stage: "download", done, total });
    const { bytes } = await downloadNetwork(manifest.network, base, { signal, onProgress });
    this.host.modelsChanged(); // the next engine boots with the downloaded model
    return { model, bytes, status: "stored" };
  }

  async cancel({ model }) {
    const known = this.running.get((await downloadableManifest(model)).network.sha256);
    known?.controller.abort();
    return { cancelled: Boolean(known) };
  }
}
