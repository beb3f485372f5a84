// The model requests the service worker answers itself (list, remove, the
// download source setting) and the one it hands to the offscreen document
// (install: a download outlives the worker's sleeps there). The build's
// manifest (models/default.json) is the extension's catalog.
export { listModels, installModel, cancelInstall, removeModel, modelSource, isFastModel, dropStaleModelFiles };

import { DEFAULT_MODEL_SOURCE, validateModelSource } from "../shared/model_source.js";
import { deleteStoredFiles, keepOnlyFiles, modelFiles, storedFiles } from "../shared/model_store.js";
import { ErrorCode, OffcutFailure, Type } from "../shared/protocol.js";
import { askOffscreen, engineIdleCloseMs, offscreenDocumentOpen } from "./offscreen_client.js";

const SOURCE_KEY = "modelSource"; // chrome.storage.local: the user's (or organisation's) download source

async function defaultManifest() {
  return (await fetch("/models/default.json")).json();
}

/** The recommended (best-quality) row and the fast tier; `default` is the one the engine runs now. */
async function listModels() {
  const [best, fast, files] = await Promise.all([
    defaultManifest(), fetch("/models/fast.json").then((r) => r.json()), storedFiles()]);
  const stored = new Set(files.map((file) => file.sha256));
  const bestStatus = status(best, stored);
  const row = (manifest, rowStatus, recommended) => ({
    id: manifest.model,
    title: manifest.title,
    description: manifest.description,
    bytes: manifest.network?.bytes ?? manifest.bytes,
    licence: manifest.licence,
    origin: manifest.origin,
    status: rowStatus,
    default: (bestStatus === "absent") !== recommended,
    recommended,
  });
  return {
    models: [row(best, bestStatus, true), row(fast, "packaged", false)],
    storedBytes: files.reduce((sum, file) => sum + file.bytes, 0),
  };
}

function status(manifest, stored) {
  if (!manifest.network || manifest.network.packaged) return "packaged";
  return stored.has(manifest.network.sha256) ? "stored" : "absent";
}

/** The model's row, or a bad-request failure naming the ones there are. */
async function knownModel(payload) {
  const manifest = await defaultManifest();
  if (payload?.model !== manifest.model) {
    throw new OffcutFailure(ErrorCode.badRequest,
      `Offcut has no model ${JSON.stringify(payload?.model)}; it has ${JSON.stringify(manifest.model)}.`);
  }
  return manifest;
}

async function installModel(payload) {
  const manifest = await knownModel(payload);
  if (!manifest.network?.source) throw new OffcutFailure(ErrorCode.badRequest, `${manifest.model} ships whole with Offcut.`);
  const { url: base } = await modelSource({});
  return askOffscreen(Type.installModel, { model: manifest.model, base, idleCloseMs: engineIdleCloseMs() });
}

async function cancelInstall(payload) {
  const manifest = await knownModel(payload);
  return askOffscreen(Type.cancelInstall, { model: manifest.model });
}

/**
 * Its files leave the store; an engine running now is replaced, so the next
 * image boots without it (the fast model). An image already being cut out
 * finishes with the model its engine opened, and a download in flight goes on:
 * closing the document would have ended both with "the engine stopped".
 */
async function removeModel(payload) {
  const manifest = await knownModel(payload);
  const digests = modelFiles(manifest);
  const files = (await storedFiles()).filter((file) => digests.has(file.sha256));
  await deleteStoredFiles(files.map((file) => file.sha256));
  if (await offscreenDocumentOpen()) await askOffscreen(Type.replaceEngine, {});
  const freedBytes = files.reduce((sum, file) => sum + file.bytes, 0);
  return { model: manifest.model, freedBytes, status: status(manifest, new Set()) };
}

/** Read the download source, or set it when the payload has `url` ("" restores the default). */
async function modelSource(payload) {
  if (typeof payload?.url === "string") {
    if (payload.url === "") await chrome.storage.local.remove(SOURCE_KEY);
    else await chrome.storage.local.set({ [SOURCE_KEY]: validateModelSource(payload.url) });
  }
  const { [SOURCE_KEY]: url } = await chrome.storage.local.get(SOURCE_KEY);
  return { url: url ?? DEFAULT_MODEL_SOURCE };
}

/** Whether the fast tier (models/fast.json) made a result: right-click says where the best model is to be had. */
async function isFastModel(modelId) {
  const fast = await (await fetch("/models/fast.json")).json();
  return modelId === fast.model;
}

/**
 * After an update: stored files the new build's manifest no longer names
 * (a catalog row whose digest changed) are deleted; those it still names stay.
 */
async function dropStaleModelFiles() {
  try {
    const dropped = await keepOnlyFiles(modelFiles(await defaultManifest()));
    if (dropped.length) console.info(`[models] dropped ${dropped.length} stored file(s) this build no longer uses`);
    return dropped.length;
  } catch (err) {
    console.warn("[models] could not tidy the model store", err);
    return 0;
  }
}
