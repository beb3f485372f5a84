// The best model offered to a right-click user, who may never open the popup:
// after a right-click cutout made with the fast model, a notification says
// what the best model is, its exact size and licence and the host it comes
// from, with Download / Not now. Once per browser session, and never after a
// "not now" (here or in the popup: one key). Nothing downloads without the click.
export { offerBestModel, answerOffer, OFFER_ID };

import { describe, megabytes, t } from "../shared/i18n.js";
import { MODEL_OFFER_LATER_KEY } from "../shared/session_keys.js";

const OFFER_ID = "offcut-best-model";
const SHOWN_KEY = "offcut.modelNoticeShown"; // chrome.storage.session: shown this session already
const DOWNLOAD_BUTTON = 0;

/**
 * `models`: list-models' reply; `source`: the download source URL. Shows the
 * offer if it is due; returns what it showed (null: not due).
 */
async function offerBestModel(models, source) {
  const best = models.find((model) => model.recommended);
  if (!best || best.status !== "absent") return null;
  const seen = await chrome.storage.session.get([SHOWN_KEY, MODEL_OFFER_LATER_KEY]);
  if (seen[SHOWN_KEY] || seen[MODEL_OFFER_LATER_KEY]) return null;
  await chrome.storage.session.set({ [SHOWN_KEY]: true });
  const offer = {
    type: "basic",
    iconUrl: chrome.runtime.getURL("icons/icon-128.png"),
    title: t("noticeOfferTitle"),
    message: t("modelOfferText", best.title, megabytes(best.bytes), best.licence, new URL(source).host),
    buttons: [{ title: t("modelDownload") }, { title: t("modelLater") }],
  };
  await chrome.notifications.create(OFFER_ID, offer);
  return offer;
}

/**
 * A button of the offer: Download starts `install(model)` (its progress is on
 * the badge) and says when the model is ready or why not; Not now is kept.
 */
async function answerOffer(buttonIndex, models, install) {
  chrome.notifications.clear(OFFER_ID);
  const best = models.find((model) => model.recommended);
  if (buttonIndex !== DOWNLOAD_BUTTON || !best) {
    await chrome.storage.session.set({ [MODEL_OFFER_LATER_KEY]: true });
    return { downloaded: false };
  }
  try {
    await install({ model: best.id });
    await notify(t("modelReady", best.title));
    return { downloaded: true };
  } catch (err) {
    await notify(describe(err));
    return { downloaded: false, error: err.code };
  }
}

function notify(message) {
  return chrome.notifications.create(OFFER_ID, {
    type: "basic", iconUrl: chrome.runtime.getURL("icons/icon-128.png"), title: "Offcut", message,
  });
}
