// The service worker's handle on the offscreen document (Pyodide + ORT-web
// live there: a service worker can neither import() nor start Workers).
export {
  ensureOffscreenDocument, offscreenDocumentOpen, askOffscreen, closeOffscreenDocument, engineIdleCloseMs, setEngineIdleCloseMs,
  fetchStallMs, setFetchStallMs, recycleAfterPixels, setRecycleAfterPixels,
};

import { ErrorCode, OffcutFailure, Target, message } from "../shared/protocol.js";

const OFFSCREEN_PATH = "offscreen.html";
let creating = null; // one in-flight creation shared by every caller
let closing = null; // a close in flight: a new request waits for it, then recreates
// Which document a request went to: counted up at each creation and each close,
// so that a request left without an answer by a document closed meanwhile
// (cancel, idle close) cannot close the newer document that serves others.
let generation = 0;
/** A limit tests change: [get, set]; setting 0 or less restores `defaultValue`. */
function tunable(defaultValue) {
  let value = defaultValue;
  return [() => value, (next) => { value = next > 0 ? next : defaultValue; }];
}

// The engine document is closed after this long without a job: a 12 MP image
// leaves ~1 GB of WebAssembly heap that never shrinks while the document
// lives, and reopening costs a few seconds only when the user comes back.
const [engineIdleCloseMs, setEngineIdleCloseMs] = tunable(120_000);
// An image download that sends nothing for this long is given up: a slow but
// moving download goes on, a stalled server must not hold every later job.
// (The one source of this limit: every run-pipeline request carries it.)
const [fetchStallMs, setFetchStallMs] = tunable(20_000);
// After a job of this many pixels the engine's worker is replaced (offscreen
// pipeline_host.js says why): the one source of this limit, sent with each job.
const [recycleAfterPixels, setRecycleAfterPixels] = tunable(24_000_000);

async function ensureOffscreenDocument() {
  await closing?.catch(() => undefined); // a close that failed (the document already gone) is no reason to fail this request
  // The check and the creation are one step shared by every caller: a document
  // being created already counts as a context, and a caller that saw it there
  // and messaged it before it finished loading would get no answer.
  creating ??= (async () => {
    const url = chrome.runtime.getURL(OFFSCREEN_PATH);
    const existing = await chrome.runtime.getContexts({ contextTypes: ["OFFSCREEN_DOCUMENT"], documentUrls: [url] });
    if (existing.length > 0) return;
    generation += 1;
    await chrome.offscreen.createDocument({
      url: OFFSCREEN_PATH,
      reasons: ["WORKERS", "BLOBS"],
      justification: "Runs the background-removal engine (Pyodide + ONNX Runtime Web with WASM threads) and holds the finished PNGs.",
    });
  })().finally(() => {
    creating = null;
  });
  await creating;
}

/** Whether the engine document exists now (or is being made): asking it something would not create one. */
async function offscreenDocumentOpen() {
  if (creating) return true;
  const url = chrome.runtime.getURL(OFFSCREEN_PATH);
  return (await chrome.runtime.getContexts({ contextTypes: ["OFFSCREEN_DOCUMENT"], documentUrls: [url] })).length > 0;
}

/**
 * Close the engine document. `onlyGeneration`: close it only if it is still
 * the document of that generation (a request's own document); a newer one is
 * left to the requests it serves.
 */
function closeOffscreenDocument(onlyGeneration = null) {
  // Closes run one after another, each deciding once the one before it and any
  // creation have finished: which document is current is only known then.
  const previous = closing;
  const close = (async () => {
    await previous?.catch(() => undefined); // its failure was its caller's
    await creating;
    if (onlyGeneration !== null && onlyGeneration !== generation) return;
    generation += 1;
    const contexts = await chrome.runtime.getContexts({ contextTypes: ["OFFSCREEN_DOCUMENT"] });
    if (contexts.length > 0) await chrome.offscreen.closeDocument();
  })().finally(() => {
    if (closing === close) closing = null;
  });
  closing = close;
  return close;
}

// After these the document is closed, so the next request starts a fresh one:
// a boot that failed stays failed in its document, and a WebAssembly heap that
// ran out of memory is not to be trusted (nor does it ever shrink).
const RESTART_AFTER = new Set([ErrorCode.engineFailed, ErrorCode.outOfMemory]);

let inFlight = 0; // requests sent to the document and not yet answered
let closeWhenAnswered = null; // the generation of a document a failed request needs replaced

/**
 * Send one request to the offscreen document; its {ok:false} replies become
 * thrown failures. A failure that needs a fresh document closes it once every
 * request in flight on it has its own answer: a boot failure reaches every
 * waiting request (the popup's warm-up, a job) with its real cause, where an
 * immediate close would leave the others with no answer at all.
 */
async function askOffscreen(type, payload) {
  await ensureOffscreenDocument();
  const sentTo = generation;
  inFlight += 1;
  let reply;
  try {
    reply = await chrome.runtime.sendMessage(message(Target.offscreen, type, payload)).catch(() => undefined);
  } finally {
    inFlight -= 1;
  }
  if (!reply) {
    await closeOffscreenDocument(sentTo);
    throw new OffcutFailure(ErrorCode.engineFailed,
      "The Offcut engine stopped without answering (it may have run out of memory); it restarts with the next image.");
  }
  if (!reply.ok && RESTART_AFTER.has(reply.error.code)) closeWhenAnswered = sentTo;
  if (closeWhenAnswered !== null && inFlight === 0) {
    const failed = closeWhenAnswered;
    closeWhenAnswered = null;
    await closeOffscreenDocument(failed);
  }
  if (!reply.ok) throw new OffcutFailure(reply.error.code, reply.error.message, reply.error.words);
  return reply.result;
}
