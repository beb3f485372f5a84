// The "Remove background" context menu on images, and what a click does.
export { createMenus, onMenuClicked, MENU_ID };

import { t } from "../shared/i18n.js";
import { ErrorCode, OffcutFailure, validateImageUrl } from "../shared/protocol.js";

const MENU_ID = "offcut-remove-background";

function createMenus() {
  chrome.contextMenus.removeAll(() => {
    chrome.contextMenus.create({ id: MENU_ID, title: t("menuRemoveBackground"), contexts: ["image"] });
  });
}

/** Chrome's onClicked (info, tab) → the URL the offscreen document can read. */
async function onMenuClicked(info, tab, submit) {
  if (info.menuItemId !== MENU_ID || !info.srcUrl) return null;
  validateImageUrl({ url: info.srcUrl }, { pageBlobs: true }); // the message path's checks, page blobs allowed
  const url = info.srcUrl.startsWith("blob:") && !isOwnBlob(info.srcUrl)
    ? await readPageBlob(tab, info.frameId ?? 0, info.srcUrl)
    : info.srcUrl;
  return submit(url, { sourceUrl: info.srcUrl, pageUrl: info.pageUrl });
}

function isOwnBlob(url) {
  return url.startsWith(`blob:${self.location.origin}/`);
}

/**
 * A page's blob: URL is readable only inside that page, so a one-off injected
 * function reads it there. executeScript results are JSON, so the bytes come
 * back as a data: URL; nothing else crosses from a page to the extension by
 * reference without a web-accessible bridge page.
 */
async function readPageBlob(tab, frameId, blobUrl) {
  if (!tab?.id) {
    throw new OffcutFailure(ErrorCode.fetchFailed, "The page that holds this image is gone.", { key: "errorPageGone", params: [] });
  }
  let injected;
  try {
    [injected] = await chrome.scripting.executeScript({
      target: { tabId: tab.id, frameIds: [frameId] },
      func: blobToDataUrl,
      args: [blobUrl],
    });
  } catch (err) {
    throw new OffcutFailure(ErrorCode.fetchFailed, `Could not read the image from the page: ${err.message}`);
  }
  if (typeof injected?.result !== "string") {
    throw new OffcutFailure(ErrorCode.fetchFailed, "The page no longer holds this image (its blob: URL was revoked).",
      { key: "errorPageGone", params: [] });
  }
  return injected.result;
}

// Runs in the page: must be self-contained.
async function blobToDataUrl(url) {
  try {
    // Bytes, then a Blob made here: `response.blob()` of a large image fails when the disk is nearly full.
    const blob = new Blob([await (await fetch(url)).arrayBuffer()]);
    return await new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(blob);
    });
  } catch {
    return null;
  }
}
