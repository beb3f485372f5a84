// Which model an image is cut out with: the one its request names, else the
// user's default setting, else the recommended one once it is downloaded, else
// the fast one (shipped whole, always there). Pure: the catalog and the store's
// state come in as arguments.
export { chooseModel, usableModels };

import { ErrorCode, OffcutFailure } from "../shared/protocol.js";

/** Ids of the rows an engine can open now: the fast one always, the best one once stored. */
function usableModels({ best, fast, bestStored }) {
  return bestStored ? [best.model, fast.model] : [fast.model];
}

/**
 * `catalog`: {best, fast, bestStored} (the two manifests; whether the best
 * one's network is in the store). `setting`: the default-model setting ("" or
 * undefined: automatic). `requested`: the request's own model, if any.
 * A requested model that is not downloaded is refused, with its title and
 * size; a setting naming one that is not (removed since) falls back to the
 * automatic choice, as a right-click must still work.
 */
function chooseModel(catalog, setting = undefined, requested = undefined) {
  const { best, fast } = catalog;
  const usable = usableModels(catalog);
  if (requested !== undefined) {
    if (requested !== best.model && requested !== fast.model) {
      throw new OffcutFailure(ErrorCode.badRequest,
        `Offcut has no model ${JSON.stringify(requested)}; it has ${JSON.stringify(best.model)} and ${JSON.stringify(fast.model)}.`);
    }
    if (!usable.includes(requested)) {
      const size = (best.network.bytes / 1e6).toFixed(1);
      throw new OffcutFailure(ErrorCode.modelNotInstalled,
        `${best.title} (${size} MB) has not been downloaded yet: download it from Offcut's popup or options page first.`,
        { key: "errorModelNotInstalled", params: [best.title, size] });
    }
    return requested;
  }
  if (setting && usable.includes(setting)) return setting;
  return usable[0];
}
