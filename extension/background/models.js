// The model requests the service worker answers itself (list, remove, the
// download source setting) and the one it hands to the offscreen document
// (install: a download outlives the worker's sleeps there). The build's
// manifests (models/catalog.json and each row's, shared/model_catalog.js) are
// the extension's catalog.
export {
  listModels, installModel, cancelInstall, removeModel, modelSource, setModelSource, defaultModel, modelForJob, usableModelRows, bestModelMissed,
  dropStaleModelFiles,
};

import { t } from "../shared/i18n.js";
import { allManifests, catalogFiles, catalogIndex, downloadableManifest, modelManifest } from "../shared/model_catalog.js";
import { DEFAULT_MODEL_SOURCE, validateModelSource } from "../shared/model_source.js";
import { deleteStoredFiles, keepOnlyFiles, modelFiles, storedDigests, storedFiles } from "../shared/model_store.js";
import { ErrorCode, OffcutFailure, Type } from "../shared/protocol.js";
import { chooseModel, rowStatus, usableModels } from "./model_choice.js";
import { askOffscreen, engineIdleCloseMs, offscreenDocumentOpen } from "./offscreen_client.js";

const SOURCE_KEY = "modelSource"; // chrome.storage.local: the user's (or organisation's) download source
const DEFAULT_MODEL_KEY = "defaultModel"; // chrome.storage.local: the model right-click and the popup use (none: automatic)

/**
 * {rows, stored, files, recommended, fast}: the build's rows (their title and
 * description in the browser's language) and what the model store holds now.
 */
async function catalog() {
  const index = await catalogIndex();
  const { recommended, fast } = index;
  const [manifests, files] = await Promise.all([allManifests(index), storedFiles()]);
  const rows = manifests.map(inBrowserLanguage);
  return { rows, stored: new Set(files.map((file) => file.sha256)), files, recommended, fast };
}

/**
 * The manifest with its title and description in the language the
 * extension's own words are in, where the catalog has them. That language is
 * read from _locales itself ("wordsLanguage"): "@@ui_locale" and
 * getUILanguage() can name another one than the messages chrome.i18n picks.
 */
function inBrowserLanguage(manifest) {
  const language = t("wordsLanguage");
  return { ...manifest, ...manifest.translations?.[language] };
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
  const usable = new Set(usableModels(known));
  return known.rows.filter((row) => usable.has(row.model)).map((row) => ({ id: row.model, title: row.title }));
}

/**
 * Every row, best quality first: `default` is the one a job would use now,
 * `recommended` the catalog's best, `fast` the tier shipped whole;
 * `sharesDownloadWith`: the other rows made from the same network file (one
 * download stores, and one removal removes, them all).
 */
async function listModels() {
  const known = await catalog();
  const { rows, stored, files, recommended, fast } = known;
  const effective = chooseModel(known, await defaultSetting());
  return {
    models: rows.map((manifest) => ({
      id: manifest.model,
      title: manifest.title,
      description: manifest.description,
      bytes: manifest.network?.bytes ?? manifest.bytes,
      licence: manifest.licence,
      origin: manifest.origin,
      status: rowStatus(manifest, stored),
      default: manifest.model === effective,
      recommended: manifest.model === recommended,
      fast: manifest.model === fast,
      sharesDownloadWith: sharingRows(rows, manifest).map((row) => row.model),
    })),
    storedBytes: files.reduce((sum, file) => sum + file.bytes, 0),
  };
}

/** The other rows whose graphs are made from `manifest`'s network file. */
function sharingRows(rows, manifest) {
  const digest = manifest.network?.sha256;
  return digest ? rows.filter((row) => row.model !== manifest.model && row.network?.sha256 === digest) : [];
}

async function installModel(payload) {
  const manifest = await downloadableManifest(payload?.model);
  const { baseUrl: base } = await modelSource();
  const installed = await askOffscreen(Type.installModel, { model: manifest.model, base, idleCloseMs: engineIdleCloseMs() });
  // The user will likely use it now: an engine boots with the default as it is now (the new model,
  // unless another was chosen), which also builds and stores its graph; unused, it closes when idle.
  modelForJob().then((model) => askOffscreen(Type.warmUp, { idleCloseMs: engineIdleCloseMs(), model }))
    .catch((err) => console.warn("[models] the engine did not start after the download", err));
  return installed;
}

async function cancelInstall(payload) {
  const manifest = await downloadableManifest(payload?.model);
  return askOffscreen(Type.cancelInstall, { model: manifest.model });
}

/**
 * Its network file leaves the store, with the graphs of every row made from
 * it (`alsoRemoved`: those other rows); the engine running now is let go, so
 * the next image boots without them. An image already being cut out finishes
 * with the model its engine opened, and a download in flight goes on:
 * closing the document would have ended both with "the engine stopped".
 */
async function removeModel(payload) {
  const manifest = await downloadableManifest(payload?.model);
  const sharing = sharingRows(await allManifests(), manifest);
  const digests = new Set([manifest, ...sharing].flatMap((row) => [...modelFiles(row)]));
  const files = (await storedFiles()).filter((file) => digests.has(file.sha256));
  await deleteStoredFiles(files.map((file) => file.sha256));
  if (await offscreenDocumentOpen()) await askOffscreen(Type.modelsChanged, {});
  const freedBytes = files.reduce((sum, file) => sum + file.bytes, 0);
  return { model: manifest.model, freedBytes, status: "absent", alsoRemoved: sharing.map((row) => row.model) };
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

/** The download source: the user's (or organisation's) setting, else the public default. */
async function modelSource() {
  const { [SOURCE_KEY]: baseUrl } = await chrome.storage.local.get(SOURCE_KEY);
  return { baseUrl: baseUrl ?? DEFAULT_MODEL_SOURCE };
}

/** Set the download source (validated; "" restores the default). */
async function setModelSource(payload) {
  if (typeof payload?.baseUrl !== "string") {
    throw new OffcutFailure(ErrorCode.badRequest, "set-model-source needs {baseUrl}: a URL, or \"\" for the default.");
  }
  if (payload.baseUrl === "") await chrome.storage.local.remove(SOURCE_KEY);
  else await chrome.storage.local.set({ [SOURCE_KEY]: validateModelSource(payload.baseUrl) });
  return modelSource();
}

/**
 * Whether the fast tier made a result while the recommended model is not
 * downloaded: then right-click says where the best model is to be had. Not
 * when the user has it and chose the fast one.
 */
async function bestModelMissed(modelId) {
  const { fast, recommended } = await catalogIndex();
  if (modelId !== fast) return false;
  return rowStatus(await modelManifest(recommended), await storedDigests()) === "absent";
}

/**
 * After an update: stored files no row of the new build names (a catalog row
 * whose digest changed) are deleted; those it still names stay.
 */
async function dropStaleModelFiles() {
  try {
    const dropped = await keepOnlyFiles(await catalogFiles());
    if (dropped.length) console.info(`[models] dropped ${dropped.length} stored file(s) this build no longer uses`);
    return dropped.length;
  } catch (err) {
    console.warn("[models] could not tidy the model store", err);
    return 0;
  }
}
