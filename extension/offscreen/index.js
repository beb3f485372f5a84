// Offscreen document entry: hosts Pyodide + ONNX Runtime Web, answers the
// service worker. Listeners are registered synchronously at load.
import { Target, Type, dispatcher, message } from "../shared/protocol.js";
import { ModelInstalls } from "./model_installs.js";
import { PipelineHost } from "./pipeline_host.js";

const host = new PipelineHost(broadcastProgress, askToBeClosed);
const installs = new ModelInstalls(broadcastProgress, host);

chrome.runtime.onMessage.addListener(
  dispatcher(Target.offscreen, {
    [Type.runPipeline]: (payload) => host.run(payload),
    [Type.exportCutout]: (payload) => host.exportCutout(payload),
    [Type.getStatus]: (payload) => host.status(payload),
    [Type.warmUp]: (payload) => host.warmUp(payload),
    [Type.installModel]: (payload) => installs.install(payload),
    [Type.cancelInstall]: (payload) => installs.cancel(payload),
    [Type.modelsChanged]: () => {
      host.modelsChanged();
      return { engineStopping: true };
    },
  }),
);

function broadcastProgress(progress) {
  // Nobody may be listening (no popup open): that is fine.
  chrome.runtime.sendMessage(message(Target.broadcast, Type.reportProgress, progress)).catch(() => {});
}

function askToBeClosed() {
  chrome.runtime.sendMessage(message(Target.background, Type.engineIdle)).catch(() => {});
}
