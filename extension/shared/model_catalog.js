// The extension's catalog, as the build wrote it (build_extension.py
// ship_catalog): models/catalog.json names the rows — best quality first —,
// the recommended one and the fast tier; models/<id>.json is each row's
// manifest. They are read from the extension's own files each time (a
// millisecond; a service worker lives seconds anyway), so what an update
// ships is what the next read sees.
export { catalogIndex, modelManifest, downloadableManifest, allManifests, catalogFiles };

import { ErrorCode, OffcutFailure } from "./protocol.js";
import { modelFiles } from "./model_store.js";

/** {recommended, fast, models: [id, …]}. */
function catalogIndex() {
  return readJson("/models/catalog.json");
}

/** The row's manifest, or a bad-request failure naming the rows there are. */
async function modelManifest(id) {
  const { models } = await catalogIndex();
  if (!models.includes(id)) {
    throw new OffcutFailure(ErrorCode.badRequest,
      `Offcut has no model ${JSON.stringify(id)}; it has ${models.map((known) => JSON.stringify(known)).join(", ")}.`);
  }
  return readJson(`/models/${id}.json`);
}

/** The manifest of a row whose network is downloaded (not the fast tier, shipped whole), or a bad-request failure. */
async function downloadableManifest(id) {
  const manifest = await modelManifest(id);
  if (!manifest.network?.source) {
    throw new OffcutFailure(ErrorCode.badRequest,
      `${manifest.model} ships whole with Offcut: there is nothing to download or remove.`);
  }
  return manifest;
}

/** Every row's manifest, in the catalog's order (`index`: catalogIndex()'s, when the caller has it). */
async function allManifests(index = undefined) {
  const { models } = index ?? (await catalogIndex());
  return Promise.all(models.map((id) => readJson(`/models/${id}.json`)));
}

/** The digests of every file any row may keep in the model store (what an update or a boot must not drop). */
async function catalogFiles() {
  const files = new Set();
  for (const manifest of await allManifests()) for (const digest of modelFiles(manifest)) files.add(digest);
  return files;
}

async function readJson(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}
