// Saving a finished PNG through chrome.downloads, waiting until it is on disk.
export { saveToDownloads };

import { ErrorCode, OffcutFailure } from "../shared/protocol.js";

async function saveToDownloads(url, filename) {
  let downloadId;
  try {
    downloadId = await chrome.downloads.download({ url, filename, conflictAction: "uniquify", saveAs: false });
  } catch (err) {
    throw new OffcutFailure(ErrorCode.saveFailed, `Could not save ${filename}: ${err.message}`);
  }
  const item = await finished(downloadId);
  if (item.state !== "complete") {
    throw new OffcutFailure(ErrorCode.saveFailed, `Saving ${filename} failed (${item.error ?? item.state}).`);
  }
  return { downloadId, filename: item.filename.split(/[\\/]/).at(-1) };
}

function finished(downloadId) {
  return new Promise((resolve) => {
    const check = async () => {
      const [item] = await chrome.downloads.search({ id: downloadId });
      if (item && item.state !== "in_progress") {
        chrome.downloads.onChanged.removeListener(onChanged);
        resolve(item);
      }
    };
    const onChanged = (delta) => {
      if (delta.id === downloadId && delta.state) check();
    };
    chrome.downloads.onChanged.addListener(onChanged);
    check(); // it may have finished before the listener was added
  });
}
