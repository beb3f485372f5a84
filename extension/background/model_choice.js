// Which model an image is cut out with: the one its request names, else the
// user's default setting, else the best model that can be used now (the
// catalog lists rows best quality first; the fast tier, shipped whole, is
// always there). Pure: the catalog and the store's state come in as arguments.
export { chooseModel, usableModels, rowStatus };

import { megabytes } from "../shared/i18n.js";
import { ErrorCode, OffcutFailure } from "../shared/protocol.js";

/**
 * "packaged" (shipped whole with the extension), "stored" (its network file is
 * in the model store) or "absent". Rows that embed the same network file share
 * its download, so they are stored or absent together.
 */
function rowStatus(manifest, storedDigests) {
  if (!manifest.network || manifest.network.packaged) return "packaged";
  return storedDigests.has(manifest.network.sha256) ? "stored" : "absent";
}

/** Ids of the rows an engine can open now, in the catalog's order. */
function usableModels({ rows, stored }) {
  return rows.filter((row) => rowStatus(row, stored) !== "absent").map((row) => row.model);
}

/**
 * `catalog`: {rows (each row's manifest, in the catalog's order), stored (the
 * digests the model store holds)}. `setting`: the default-model setting (""
 * or undefined: automatic). `requested`: the request's own model, if any.
 * A requested model that is not downloaded is refused, with its title and
 * size; a setting naming one that is not (removed since) falls back to the
 * automatic choice, as a right-click must still work.
 */
function chooseModel(catalog, setting = undefined, requested = undefined) {
  const usable = usableModels(catalog);
  if (requested !== undefined) {
    const row = catalog.rows.find((known) => known.model === requested);
    if (!row) {
      const known = catalog.rows.map((known) => JSON.stringify(known.model)).join(", ");
      throw new OffcutFailure(ErrorCode.badRequest, `Offcut has no model ${JSON.stringify(requested)}; it has ${known}.`);
    }
    if (!usable.includes(requested)) {
      const size = megabytes(row.network.bytes);
      throw new OffcutFailure(ErrorCode.modelNotInstalled,
        `${row.title} (${size} MB) has not been downloaded yet: download it from Offcut's popup or options page first.`,
        { key: "errorModelNotInstalled", params: [row.title, size] });
    }
    return requested;
  }
  if (setting && usable.includes(setting)) return setting;
  return usable[0];
}
