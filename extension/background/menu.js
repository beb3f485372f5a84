// The "Remove background" context menu on images, and what a click does.
export { createMenus, onMenuClicked, MENU_ID, MENU_OPEN_ID, MENU_WITH_PREFIX };

import { nameFromUrl } from "../shared/filename.js";
import { t } from "../shared/i18n.js";
import { ErrorCode, OffcutFailure, validateImageUrl } from "../shared/protocol.js";

const MENU_ID = "offcut-remove-background";
const MENU_OPEN_ID = "offcut-open-in-offcut"; // the image goes to the results page instead of straight to a file
const MENU_WITH_ID = "offcut-remove-background-with";
const MENU_WITH_PREFIX = `${MENU_WITH_ID}:`; // + a catalog id: that model, for this one image

/**
 * "Remove background" (the default model, saved at once), "Remove background
 * and open in Offcut" (the results page, to look before saving), and once
 * more than one model can be used, "Remove background with ▸" one of them for
 * this image. Chrome groups the items under Offcut's name. `models`:
 * [{id, title}] the engine can open now; the menus are remade whenever that
 * changes (a download, a removal).
 */
function createMenus(models = []) {
  return new Promise((resolve) => {
    chrome.contextMenus.removeAll(() => {
      chrome.contextMenus.create({ id: MENU_ID, title: t("menuRemoveBackground"), contexts: ["image"] });
      chrome.contextMenus.create({ id: MENU_OPEN_ID, title: t("menuOpenInOffcut"), contexts: ["image"] });
      if (models.length > 1) {
        chrome.contextMenus.create({ id: MENU_WITH_ID, title: t("menuRemoveBackgroundWith"), contexts: ["image"] });
        for (const { id, title } of models) {
          chrome.contextMenus.create({ id: MENU_WITH_PREFIX + id, parentId: MENU_WITH_ID, title, contexts: ["image"] });
        }
      }
      resolve();
    });
  });
}

/** The model a menu item asks for: undefined for the default item, null for none of Offcut's. */
function menuModel(menuItemId) {
  if (menuItemId === MENU_ID) return undefined;
  if (typeof menuItemId === "string" && menuItemId.startsWith(MENU_WITH_PREFIX)) return menuItemId.slice(MENU_WITH_PREFIX.length);
  return null;
}

/**
 * Chrome's onClicked (info, tab) → the URL the offscreen document can read,
 * then `submit(url, context)` (a job that saves), or for "open in Offcut"
 * `openInPage({url, name, pageUrl})` (the results page runs the job itself).
 */
async function onMenuClicked(info, tab, submit, openInPage) {
  const model = info.menuItemId === MENU_OPEN_ID ? undefined : menuModel(info.menuItemId);
  if (model === null || !info.srcUrl) return null;
  validateImageUrl({ url: info.srcUrl }, { pageBlobs: true }); // the message path's checks, page blobs allowed
  const url = info.srcUrl.startsWith("blob:") && !isOwnBlob(info.srcUrl)
    ? await readPageBlob(tab, info.frameId ?? 0, info.srcUrl)
    : info.srcUrl;
  const pageUrl = /^https?:/.test(info.pageUrl ?? "") ? info.pageUrl : undefined;
  if (info.menuItemId === MENU_OPEN_ID) return openInPage({ url, name: nameFromUrl(info.srcUrl), pageUrl });
  return submit(url, { sourceUrl: info.srcUrl, pageUrl, model });
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
