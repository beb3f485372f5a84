// The extension's own words, from _locales/<language>/messages.json through
// chrome.i18n (English, German). Pages mark translatable text with
// data-i18n="key" and attributes with data-i18n-attrs="attr:key,attr:key";
// scripts call t(key, ...substitutions). A failure from the engine carries
// its English message and, where _locales has it, its `words` ({key, params}):
// describe() says it in the user's language.
export { t, localizePage, describe, megabytes };

/** The message in the browser's language; a key missing from every locale shows itself, never nothing. */
function t(key, ...substitutions) {
  return chrome.i18n.getMessage(key, substitutions.map(String)) || key;
}

/** A failure's text for the user: its words in their language, else its English message. */
function describe(error) {
  const words = error?.words;
  const localized = words ? chrome.i18n.getMessage(words.key, (words.params ?? []).map(String)) : "";
  return localized || error?.message || "";
}

function localizePage(doc) {
  doc.documentElement.lang = t("htmlLang");
  for (const element of doc.querySelectorAll("[data-i18n]")) element.textContent = t(element.dataset.i18n);
  for (const element of doc.querySelectorAll("[data-i18n-attrs]")) {
    for (const pair of element.dataset.i18nAttrs.split(",")) {
      const [attribute, key] = pair.split(":");
      element.setAttribute(attribute.trim(), t(key.trim()));
    }
  }
}

/** A byte count as megabytes (10^6, as download sizes are given), one decimal. */
function megabytes(bytes) {
  return (bytes / 1e6).toFixed(1);
}
