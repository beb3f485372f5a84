// A memory snapshot of the Python runtime with the offcut package imported,
// kept in the extension's IndexedDB. Starting CPython and importing the
// package costs ~2 s of every cold engine document (it holds the document's
// main thread); restoring the heap from a snapshot costs ~0.3 s. The first
// boot of each build makes one; later documents restore it.
//
// The record is keyed by what its heap was made from (the SHA-256 of the
// shipped package archive and Pyodide's version): a record from another
// build is deleted unread. Its own SHA-256 is checked before use, so bytes
// damaged on disk are refused (and deleted) like a damaged graph, and the
// engine boots the slow way. Nothing here can stop the engine from booting.
export { snapshotKey, readSnapshot, storeSnapshot, dropSnapshot, SNAPSHOT_DATABASE, SNAPSHOT_STORE };

import { openDB } from "idb";
import { sha256Hex } from "../shared/digest.js";

const SNAPSHOT_DATABASE = "offcut-engine";
const SNAPSHOT_STORE = "python-snapshot";
const RECORD = "current"; // one snapshot at a time: the build's own

async function snapshotKey(packageArchive, pyodideVersion) {
  return `${await sha256Hex(packageArchive)}/pyodide-${pyodideVersion}`;
}

function database() {
  return openDB(SNAPSHOT_DATABASE, 1, {
    upgrade(db) {
      db.createObjectStore(SNAPSHOT_STORE);
    },
  });
}

/** The stored snapshot's bytes if it is this build's and intact, else undefined (and it is gone). */
async function readSnapshot(key) {
  const db = await database();
  try {
    const record = await db.get(SNAPSHOT_STORE, RECORD);
    if (!record) return undefined;
    if (record.key !== key) {
      await db.delete(SNAPSHOT_STORE, RECORD); // another build's heap: useless now
      return undefined;
    }
    // Stored as a Blob: IndexedDB keeps it as a file, read once here.
    const bytes = new Uint8Array(await record.blob.arrayBuffer());
    if (bytes.byteLength !== record.bytes || (await sha256Hex(bytes)) !== record.sha256) {
      console.warn("[offscreen] the stored Python snapshot is damaged: deleted, booting without it");
      await db.delete(SNAPSHOT_STORE, RECORD);
      return undefined;
    }
    return bytes;
  } finally {
    db.close();
  }
}

async function storeSnapshot(key, bytes) {
  const sha256 = await sha256Hex(bytes);
  const db = await database();
  try {
    await db.put(SNAPSHOT_STORE, { key, bytes: bytes.byteLength, sha256, blob: new Blob([bytes]) }, RECORD);
  } finally {
    db.close();
  }
}

/** Forget the snapshot (one that would not restore). */
async function dropSnapshot() {
  const db = await database();
  try {
    await db.delete(SNAPSHOT_STORE, RECORD);
  } finally {
    db.close();
  }
}
