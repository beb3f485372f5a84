// Model files kept in the extension's IndexedDB (extension storage: it
// survives restarts and "clear browsing data", and the engine's workers and
// documents come and go around it). Each record is one file, keyed by its
// SHA-256, stored as a Blob (IndexedDB keeps large Blobs as files). A record is
// checked again (byte length + SHA-256) every time it is read: a damaged one
// is deleted and reported as absent, so the caller rebuilds or refetches it.
export {
  readStoredFile, storeFile, storageFull, keepOnlyFiles, deleteStoredFiles, storedFiles, storedDigests, modelFiles, MODEL_DATABASE, MODEL_STORE,
};

import { openDB } from "idb";
import { sha256Hex } from "./digest.js";
import { megabytes } from "./i18n.js";
import { ErrorCode, OffcutFailure } from "./protocol.js";

const MODEL_DATABASE = "offcut-models";
const MODEL_STORE = "files";

function database() {
  return openDB(MODEL_DATABASE, 1, {
    upgrade(db) {
      db.createObjectStore(MODEL_STORE);
    },
  });
}

async function withDatabase(work) {
  const db = await database();
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

/** The stored file with this digest and length, verified; undefined if absent or damaged (then deleted). */
async function readStoredFile(sha256, bytes) {
  return withDatabase(async (db) => {
    const record = await db.get(MODEL_STORE, sha256);
    if (!record) return undefined;
    const data = new Uint8Array(await record.blob.arrayBuffer());
    if (data.byteLength === bytes && (await sha256Hex(data)) === sha256) return data;
    console.warn(`[models] the stored ${record.name} is damaged: deleted`);
    await db.delete(MODEL_STORE, sha256);
    return undefined;
  });
}

/**
 * Keep `data` (already verified against `sha256` by the caller) under its
 * digest. With unlimitedStorage the one limit is the disk: a full one is said
 * as such, with the size needed, not as IndexedDB's own error. Chromium
 * reports a full disk as QuotaExceededError or, when the blob's file cannot be
 * written, as a DataError "Failed to write blobs (IOError)": a failed write is
 * storage-full when the origin's quota (the free disk, with unlimitedStorage)
 * leaves no room for this file.
 */
async function storeFile(name, data, sha256) {
  try {
    await withDatabase((db) =>
      db.put(MODEL_STORE, { name, bytes: data.byteLength, sha256, stored: Date.now(), blob: new Blob([data]) }, sha256));
  } catch (err) {
    if (err?.name !== "QuotaExceededError" && !(await noRoomFor(data.byteLength))) throw err;
    throw storageFull(name, data.byteLength);
  }
}

/** The failure that says the disk has no room for `name`, of `bytes` (the size the user must free). */
function storageFull(name, bytes) {
  const size = megabytes(bytes);
  return new OffcutFailure(ErrorCode.storageFull,
    `There is no room to store ${name} (${size} MB): free some disk space, then download again.`,
    { key: "errorStorageFull", params: [size] });
}

async function noRoomFor(bytes) {
  try {
    const { quota, usage } = await navigator.storage.estimate();
    return quota - usage < bytes;
  } catch {
    return false; // unknown: the write's own error is reported
  }
}

/** Delete every stored file whose digest is not in `wanted` (files of an older build or catalog row). */
async function keepOnlyFiles(wanted) {
  return withDatabase(async (db) => {
    const dropped = [];
    for (const key of await db.getAllKeys(MODEL_STORE)) {
      if (!wanted.has(key)) {
        await db.delete(MODEL_STORE, key);
        dropped.push(key);
      }
    }
    return dropped;
  });
}

/** Delete the stored files with these digests (absent ones are fine). */
async function deleteStoredFiles(digests) {
  await withDatabase(async (db) => {
    for (const key of digests) await db.delete(MODEL_STORE, key);
  });
}

/** {sha256, name, bytes} of every stored file, read from the records (no file is read). */
async function storedFiles() {
  return withDatabase(async (db) => {
    const files = [];
    let cursor = await db.transaction(MODEL_STORE).store.openCursor();
    while (cursor) {
      const { sha256, name, bytes } = cursor.value;
      files.push({ sha256, name, bytes });
      cursor = await cursor.continue();
    }
    return files;
  });
}

/** The set of digests the store holds now (read from the records, no file is read). */
async function storedDigests() {
  return new Set((await storedFiles()).map((file) => file.sha256));
}

/** The digests of every file of a manifest the model store may hold: its graphs, its network and the network's parts. */
function modelFiles(manifest) {
  const graphs = [manifest, manifest.webgpu].filter((entry) => entry?.skeleton).map((entry) => entry.sha256);
  const network = manifest.network ? [manifest.network.sha256, ...manifest.network.source.parts.map((p) => p.sha256)] : [];
  return new Set([...graphs, ...network]);
}
