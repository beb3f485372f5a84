// Saving a finished PNG through chrome.downloads, waiting until it is on disk.
export { saveToDownloads };

import { ErrorCode, OffcutFailure } from "./protocol.js";

// A local blob is on disk in well under a second; a download still unfinished
// after this long is paused or waiting on the user, and must not hold the queue.
const SAVE_DEADLINE_MS = 60_000;

async function saveToDownloads(url, filename, { deadlineMs = SAVE_DEADLINE_MS } = {}) {
  let downloadId;
  try {
    downloadId = await chrome.downloads.download({ url, filename, conflictAction: "uniquify", saveAs: false });
  } catch (err) {
    throw new OffcutFailure(ErrorCode.saveFailed, `Could not save ${filename}: ${err.message}`,
      { key: "errorSaveFailed", params: [filename, err.message] });
  }
  const item = await finished(downloadId, deadlineMs);
  if (!item) {
    const seconds = Math.round(deadlineMs / 1000);
    throw new OffcutFailure(ErrorCode.saveFailed, `Chrome has not finished saving ${filename} after ` +
      `${seconds} s (is the download paused, or waiting for an answer?); ` +
      "Offcut moved on: see Chrome's downloads (Ctrl+J).", { key: "errorSaveUnfinished", params: [filename, seconds] });
  }
  if (item.state !== "complete") {
    const reason = item.error ?? item.state;
    throw new OffcutFailure(ErrorCode.saveFailed, `Saving ${filename} failed (${reason}).`,
      { key: "errorSaveFailed", params: [filename, reason] });
  }
  return { downloadId, filename: item.filename.split(/[\\/]/).at(-1) };
}

/** The download's item once it is no longer in progress; null if that takes longer than `deadlineMs`. */
function finished(downloadId, deadlineMs) {
  return new Promise((resolve) => {
    const done = (item) => {
      clearTimeout(timer);
      chrome.downloads.onChanged.removeListener(onChanged);
      resolve(item);
    };
    const check = async () => {
      const [item] = await chrome.downloads.search({ id: downloadId });
      if (item && item.state !== "in_progress") done(item);
    };
    const onChanged = (delta) => {
      if (delta.id === downloadId && delta.state) check();
    };
    const timer = setTimeout(() => done(null), deadlineMs);
    chrome.downloads.onChanged.addListener(onChanged);
    check(); // it may have finished before the listener was added
  });
}
