// Model downloads in flight, in the offscreen document (it outlives popups and
// the service worker's sleeps): one per model, joined by a second request for
// the same model, cancellable, their byte progress broadcast. The engine
// document is not closed for idleness while one runs.
export { ModelInstalls };

import { ErrorCode, OffcutFailure } from "../shared/protocol.js";
import { downloadNetwork } from "./model_download.js";

class ModelInstalls {
  /** `host`: the PipelineHost (its idle timer is held while a download runs). */
  constructor(reportProgress, host) {
    this.reportProgress = reportProgress;
    this.host = host;
    this.running = new Map(); // model → {promise, controller}
  }

  install({ model, base, idleCloseMs }) {
    const known = this.running.get(model);
    if (known) return known.promise;
    const controller = new AbortController();
    this.host.holdIdle();
    const promise = this.download(model, base, controller.signal).finally(() => {
      this.running.delete(model);
      this.host.releaseIdle(idleCloseMs);
    });
    this.running.set(model, { promise, controller });
    return promise;
  }

  async download(model, base, signal) {
    const manifest = await (await fetch("/models/default.json")).json();
    if (manifest.model !== model || !manifest.network?.source) {
      throw new OffcutFailure(ErrorCode.badRequest, `Offcut has no downloadable model ${JSON.stringify(model)}.`);
    }
    const onProgress = ({ done, total }) => this.reportProgress({ model, stage: "download", done, total });
    const { bytes } = await downloadNetwork(manifest.network, base, { signal, onProgress });
    this.host.modelsChanged(); // the next engine boots with the downloaded model
    return { model, bytes, status: "stored" };
  }

  cancel({ model }) {
    const known = this.running.get(model);
    known?.controller.abort();
    return { cancelled: Boolean(known) };
  }
}
