// A network file downloaded into the model store, part by part, the way its
// registry package splits it: each part is checked (length + SHA-256) before
// it is kept, kept parts are not fetched again after a drop (the next install
// resumes), and the whole file is checked against the catalog's digest before
// it is stored. A part that fails its check is refused and never kept; a
// cancelled download deletes the parts it kept: nothing half-stored remains.
// The parts leave the store before the whole file goes in (it is made from
// them in memory), so a download needs the file's size on disk, not twice it;
// a disk that is full even so keeps nothing of it (storage-full).
export { downloadNetwork };

import { partUrl } from "../shared/model_source.js";
import { ErrorCode, OffcutFailure, cancelledFailure } from "../shared/protocol.js";
import { sha256Hex } from "../shared/digest.js";
import { deleteStoredFiles, readStoredFile, storageFull, storeFile } from "../shared/model_store.js";

/**
 * `network`: the manifest's {file, bytes, sha256, source: {package, parts}};
 * `onProgress({done, total})` in bytes, at most every PROGRESS_MS;
 * a part silent for `stallMs` is given up (its kept predecessors stay).
 */
async function downloadNetwork(network, base, { signal, onProgress = () => {}, stallMs = 20_000 } = {}) {
  const parts = network.source.parts;
  const total = parts.reduce((sum, part) => sum + part.bytes, 0);
  const datas = [];
  let done = 0;
  let reported = 0;
  const report = (bytes, force = false) => {
    if (!force && performance.now() - reported < PROGRESS_MS) return;
    reported = performance.now();
    onProgress({ done: bytes, total });
  };
  try {
    for (const part of parts) {
      let data = await readStoredFile(part.sha256, part.bytes); // kept by an earlier, interrupted download
      if (!data) {
        data = await fetchPart(partUrl(base, network.source, part), part, { signal, stallMs, onBytes: (n) => report(done + n) });
        await storeFile(`${network.file} (part)`, data, part.sha256);
      }
      datas.push(data);
      done += part.bytes;
      report(done);
    }
    report(done, true);
    const whole = new Uint8Array(total);
    datas.reduce((offset, data) => (whole.set(data, offset), offset + data.byteLength), 0);
    datas.length = 0;
    await check(whole, network, network.file);
    await deleteStoredFiles(parts.map((part) => part.sha256)); // the whole file is what is kept
    await storeFile(network.file, whole, network.sha256);
    return { bytes: total };
  } catch (err) {
    // A drop or a stall keeps the checked parts for the next attempt; a cancel,
    // a file that fails its check or a full disk keeps nothing.
    if (signal?.aborted || err.code === ErrorCode.modelIntegrity || err.code === ErrorCode.storageFull) {
      await deleteStoredFiles(parts.map((part) => part.sha256)).catch(() => {});
    }
    if (signal?.aborted) throw cancelledFailure();
    if (err.code === ErrorCode.storageFull) throw storageFull(network.file, network.bytes); // the room the model needs
    throw err;
  }
}

const PROGRESS_MS = 250;

async function fetchPart(url, part, { signal, stallMs, onBytes }) {
  const stall = new AbortController();
  const abort = () => stall.abort();
  signal?.addEventListener("abort", abort);
  let timer;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(abort, stallMs);
  };
  try {
    arm();
    let response;
    try {
      response = await fetch(url, { signal: stall.signal, credentials: "omit", cache: "no-store" });
    } catch (err) {
      throw dropped(url, signal, err);
    }
    if (!response.ok) {
      throw new OffcutFailure(ErrorCode.fetchFailed, `The model download failed: HTTP ${response.status} from ${url}`,
        { key: "errorModelDownload", params: [`HTTP ${response.status}`] });
    }
    const data = new Uint8Array(part.bytes);
    let received = 0;
    const reader = response.body.getReader();
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (err) {
        throw dropped(url, signal, err);
      }
      if (chunk.done) break;
      arm();
      if (received + chunk.value.byteLength > part.bytes) {
        throw integrity(`${url} sent more than the ${part.bytes} bytes this part has`);
      }
      data.set(chunk.value, received);
      received += chunk.value.byteLength;
      onBytes(received);
    }
    if (received !== part.bytes) throw integrity(`${url} sent ${received} bytes, expected ${part.bytes}`);
    await check(data, part, url);
    return data;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", abort);
  }
}

async function check(data, expected, what) {
  if (data.byteLength !== expected.bytes) throw integrity(`${what}: ${data.byteLength} bytes, expected ${expected.bytes}`);
  const digest = await sha256Hex(data);
  if (digest !== expected.sha256) {
    throw integrity(`${what}: SHA-256 is ${digest.slice(0, 16)}…, expected ${expected.sha256.slice(0, 16)}…; refused`);
  }
}

function integrity(message) {
  return new OffcutFailure(ErrorCode.modelIntegrity, `The downloaded model does not match the catalog: ${message}`,
    { key: "errorModelIntegrity", params: [] });
}

function dropped(url, signal, err) {
  if (signal?.aborted) return cancelledFailure();
  return new OffcutFailure(ErrorCode.fetchFailed,
    `The model download stopped (${err?.name === "AbortError" ? "no data for too long" : err?.message}) at ${url}; ` +
    "downloading again resumes from the last complete part",
    { key: "errorModelDownload", params: [err?.name === "AbortError" ? "stalled" : String(err?.message)] });
}
