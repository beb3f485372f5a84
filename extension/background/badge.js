// The toolbar badge tells the context-menu user what happened, and the last
// failure is kept for the popup to show (there is no page of ours open then).
export { showBusy, showProgress, showCancelled, showDone, showFailure, clearBadge };

import { describe, t } from "../shared/i18n.js";
import { LAST_ERROR_KEY } from "../shared/session_keys.js";

const BUSY_COLOUR = "#5b6cff";

function showBusy() {
  chrome.action.setBadgeBackgroundColor({ color: BUSY_COLOUR });
  chrome.action.setBadgeText({ text: "…" });
}

/** A job's progress as a percentage on the badge (a right-click has no other place to show it). */
function showProgress({ done, total }) {
  if (!(total > 0)) return;
  chrome.action.setBadgeBackgroundColor({ color: BUSY_COLOUR });
  chrome.action.setBadgeText({ text: `${Math.min(99, Math.round((100 * done) / total))}%` });
}

/** `byFastModel`: the fast tier made it, the best one is not downloaded; the title says where it is to be had. */
function showDone(filename, byFastModel = false) {
  chrome.action.setBadgeText({ text: "" });
  chrome.action.setTitle({ title: byFastModel ? t("badgeSavedFast", filename) : t("badgeSaved", filename) });
  chrome.storage.session.remove(LAST_ERROR_KEY);
}

function clearBadge() {
  chrome.action.setBadgeText({ text: "" });
}

function showCancelled() {
  chrome.action.setBadgeText({ text: "" });
  chrome.action.setTitle({ title: t("badgeCancelled") });
}

function showFailure(error) {
  chrome.action.setBadgeBackgroundColor({ color: "#d93025" });
  chrome.action.setBadgeText({ text: "!" });
  chrome.action.setTitle({ title: t("badgeFailed", describe(error)) });
  const last = { code: error.code, message: error.message, at: Date.now() };
  if (error.words) last.words = error.words;
  chrome.storage.session.set({ [LAST_ERROR_KEY]: last });
}
