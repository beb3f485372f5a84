// chrome.storage.session keys more than one context reads or writes (the
// session store is cleared when the browser restarts, which is the point).
export { LAST_ERROR_KEY, MODEL_OFFER_LATER_KEY };

// The last right-click failure (service worker writes it, the popup shows it).
const LAST_ERROR_KEY = "offcut.lastError";
// "Not now" to the best model's offer, said in the popup or on the notification:
// either holds for both until the browser restarts.
const MODEL_OFFER_LATER_KEY = "offcut.modelOfferLater";
