// A request to the service worker from an extension page, as a promise of its
// result: a failure reply becomes a thrown OffcutFailure (its words kept).
export { askBackground };

import { ErrorCode, OffcutFailure, Target, message } from "./protocol.js";

async function askBackground(type, payload = {}) {
  const reply = await chrome.runtime.sendMessage(message(Target.background, type, payload));
  if (!reply) throw new OffcutFailure(ErrorCode.internal, "Offcut's service worker did not answer.");
  if (!reply.ok) throw new OffcutFailure(reply.error.code, reply.error.message, reply.error.words);
  return reply.result;
}
