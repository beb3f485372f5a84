// The model requests the service worker answers itself (list, remove, the
// download source setting) and the one it hands to the offscreen document
// (install: a download outlives the worker's sleeps there). The build's
// manifest (models/default.json) is the extension's catalog.
export {
  listModels, installModel, cancelInstall, removeModel, modelSource, defaultModel, modelForJob, usableModelRows, isFastModel,
  dropStaleModelFiles,
};

import { DEFAULT_MODEL_SOURCE, validateModelSource } from "../shared/model_source.js";
import { deleteStoredFiles, keepOnlyFiles, modelFiles, storedFiles } from "../shared/model_store.js";
import { ErrorCode, OffcutFailure, Type } from "../shared/protocol.js";
import { chooseModel, usableModels } from "./model_choice.js";
import { askOffscreen, engineIdleCloseMs, offscreenDocumentOpen } from "./offscreen_client.js";

const SOURCE_KEY = "modelSource"; // chrome.storage.local: the user's (or organisation's) download source
const DEFAULT_MODEL_KEY = "defaultModel"; // chrome.storage.local: the model right-click and the popup use (none: automatic)

async function defaultManifest() {
  return (await fetch("/models/default.json")).json();
}

/** {best, fast, files, bestStatus, bestStored}: the build's two rows and what the model store holds. */
async function catalog() {
  const [best, fast, files] = await Promise.all([
    defaultManifest(), fetch("/models/fast.json").then((r) => r.json()), storedFiles()]);
  const bestStatus = status(best, new Set(files.map((file) => file.sha256)));
  return { best, fast, files, bestStatus, bestStored: bestStatus !== "absent" };
}

async function defaultSetting() {
  return (await chrome.storage.local.get(DEFAULT_MODEL_KEY))[DEFAULT_MODEL_KEY];
}

/** The model a job runs (model_choice.js): `requested`, else the default setting, else automatic. */
async function modelForJob(requested = undefined) {
  return chooseModel(await catalog(), await defaultSetting(), requested);
}

/** [{id, title}] of the models an engine can open now (the menu's "Remove background with"). */
async function usableModelRows() {
  const known = await catalog();
  const rows = [known.best, known.fast];
  return usableModels(known).map((id) => rows.find((row) => row.model === id)).map((row) => ({ id: row.model, title: row.title }));
}

/** The recommended (best-quality) row and the fast tier; `default` is the one a job would use now. */
async function listModels() {
  const known = await catalog();
  const { best, fast, files, bestStatus } = known;
  const effective = chooseModel(known, await defaultSetting());
  const row = (manifest, rowStatus, recommended) => ({
    id: manifest.model,
    title: manifest.title,
    description: manifest.description,
    bytes: manifest.network?.bytes ?? manifest.bytes,
    licence: manifest.licence,
    origin: manifest.origin,
    status: rowStatus,
    default: manifest.model === effective,
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
  const installed = await askOffscreen(Type.installModel, { model: manifest.model, base, idleCloseMs: engineIdleCloseMs() });
  // The user will likely use it now: an engine boots with the default as it is now (the new model,
  // unless another was chosen), which also builds and stores its graph; unused, it closes when idle.
  modelForJob().then((model) => askOffscreen(Type.warmUp, { idleCloseMs: engineIdleCloseMs(), model }))
    .catch((err) => console.warn("[models] the engine did not start after the download", err));
  return installed;
}

async function cancelInstall(payload) {
  const manifest = await knownModel(payload);
  return askOffscreen(Type.cancelInstall, { model: manifest.model });
}

/**
 * Its files leave the store; the engine running now is let go, so the next
 * image boots without it (the fast model). An image already being cut out
 * finishes with the model its engine opened, and a download in flight goes on:
 * closing the document would have ended both with "the engine stopped".
 */
async function removeModel(payload) {
  const manifest = await knownModel(payload);
  const digests = modelFiles(manifest);
  const files = (await storedFiles()).filter((file) => digests.has(file.sha256));
  await deleteStoredFiles(files.map((file) => file.sha256));
  if (await offscreenDocumentOpen()) await askOffscreen(Type.modelsChanged, {});
  const freedBytes = files.reduce((sum, file) => sum + file.bytes, 0);
  return { model: manifest.model, freedBytes, status: status(manifest, new Set()) };
}

/** Read the default-model setting, or set it when the payload has `model` ("" restores the automatic choice). */
async function defaultModel(payload) {
  if (typeof payload?.model === "string") {
    if (payload.model === "") {
      await chrome.storage.local.remove(DEFAULT_MODEL_KEY);
    } else {
      chooseModel(await catalog(), undefined, payload.model); // known and downloaded, or refused with why
      await chrome.storage.local.set({ [DEFAULT_MODEL_KEY]: payload.model });
    }
  }
  return { model: (await defaultSetting()) ?? "", effective: await modelForJob() };
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
