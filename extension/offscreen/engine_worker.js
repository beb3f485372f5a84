// Entry of the engine's worker (see engine.js). Requests arrive as
// {id, type: "status" | "run" | "export", payload}; each is answered {id, ok, result} or
// {id, ok: false, error: {code, message}}; progress goes out as {progress, id?}
// (no id: the boot's own). A finished file travels as a Blob (a handle: no bytes copied).
import { toFailure } from "../shared/protocol.js";
import { Engine } from "./engine.js";

// The model it boots with comes in its URL (engine_client.js); none: the default, or the fast one until that is stored.
// "lazy": started for an export, it opens that model only when a cutout or a status request comes.
const params = new URL(self.location.href).searchParams;
const engine = new Engine((progress) => self.postMessage({ progress }), params.get("model") ?? undefined,
  { withModel: !params.has("lazy") });

const requests = {
  status: (payload) => engine.status(payload),
  run: (payload, id) => engine.run(payload, (stage, done) => self.postMessage({ id, progress: { stage, done, total: 4 } })),
  export: (payload) => engine.exportCutout(payload),
};

self.onmessage = async ({ data: { id, type, payload } }) => {
  try {
    const handler = requests[type];
    if (!handler) throw new Error(`the engine has no request type ${JSON.stringify(type)}`);
    self.postMessage({ id, ok: true, result: await handler(payload, id) });
  } catch (err) {
    self.postMessage({ id, ...toFailure(err) });
  }
};
