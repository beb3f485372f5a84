// Images handed to the results page (results.html) by the popup (several
// files at once) and by the "open in Offcut" menu item. They wait in
// IndexedDB: a File cannot travel in a message, and the popup closes as soon
// as the page's tab takes the focus, so nothing may depend on it staying open.
export { handOver, takeHandedOver, RESULTS_PAGE };

import { openDB } from "idb";
import { Target, Type, message } from "./protocol.js";

const RESULTS_PAGE = "results.html";
const DATABASE = "offcut-handoff";
const STORE = "images";

function database() {
  return openDB(DATABASE, 1, {
    upgrade(db) {
      db.createObjectStore(STORE, { autoIncrement: true });
    },
  });
}

/**
 * Store `images` ([{file, name}] or [{url, name, pageUrl}]) for the results
 * page, then show it: the open one (told to take them) or a new tab.
 */
async function handOver(images) {
  const db = await database();
  try {
    const tx = db.transaction(STORE, "readwrite");
    await Promise.all([...images.map((image) => tx.store.add(image)), tx.done]);
  } finally {
    db.close();
  }
  const url = chrome.runtime.getURL(RESULTS_PAGE);
  const [open] = await chrome.runtime.getContexts({ contextTypes: ["TAB"], documentUrls: [url] });
  if (!open) {
    await chrome.tabs.create({ url });
    return;
  }
  await chrome.runtime.sendMessage(message(Target.broadcast, Type.handoffReady)).catch(() => {});
  await chrome.tabs.update(open.tabId, { active: true });
  if (open.windowId !== undefined) await chrome.windows.update(open.windowId, { focused: true });
}

/** Every image handed over and not yet taken, oldest first; they are gone from the store once read. */
async function takeHandedOver() {
  const db = await database();
  try {
    const tx = db.transaction(STORE, "readwrite");
    const [images] = await Promise.all([tx.store.getAll(), tx.store.clear(), tx.done]);
    return images;
  } finally {
    db.close();
  }
}
