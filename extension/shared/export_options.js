// What a finished cutout is exported as (the results page's Export panel, the
// export-cutout request): the options' one shape, checked where they enter
// (the page's remembered options, the service worker's message), and the rule
// between them (JPEG has no alpha). The constants are core_py/offcut/export_spec.json's,
// the one file Python (offcut._export) reads too. Pure: no DOM, no chrome.*.
export {
  EXPORT_FORMATS, DEFAULT_EXPORT_OPTIONS, BACKGROUND_PRESETS, MARGIN_LIMITS, MAX_SIZE_LIMITS, EXPORT_OPTIONS_KEY,
  validateExportOptions, storedExportOptions, changeExportOptions, isPlainCutout, canBeTransparent, asPng, exportExtension,
  exportMime,
};

// A JSON module: esbuild bundles it into every bundle that needs it; Node's tests import it as it is.
import spec from "../../core_py/offcut/export_spec.json" with { type: "json" };
import { ErrorCode, OffcutFailure } from "./protocol.js";

const EXPORT_FORMATS = deepFreeze(spec.formats); // id → {mime, extension, alpha}
const DEFAULT_EXPORT_OPTIONS = deepFreeze(spec.defaults);
const BACKGROUND_PRESETS = deepFreeze(spec.backgroundPresets);
const MARGIN_LIMITS = deepFreeze(spec.marginLimits); // unit → the largest margin
const MAX_SIZE_LIMITS = deepFreeze(spec.maxSizeLimits); // {min, max} of the longest side
const EXPORT_OPTIONS_KEY = "offcut.exportOptions"; // chrome.storage.local: the page's options, for the next visit
// What a picture without alpha gets instead of "transparent" when its format is chosen.
const OPAQUE_FALLBACK = "#ffffff";
const COLOUR = /^#[0-9a-f]{6}$/i;

/**
 * `value` checked and normalised (a missing field takes its default, a colour
 * is lower case): a new object of exactly the spec's shape, or an OffcutFailure
 * (bad-request) naming the field and the value it refused.
 */
function validateExportOptions(value) {
  if (!isPlainObject(value)) {
    throw refused(`Export options must be an object, not ${show(value)}.`);
  }
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(DEFAULT_EXPORT_OPTIONS, key)) throw refused(`Export options have no field ${show(key)}.`);
  }
  const given = (key) => (value[key] === undefined ? DEFAULT_EXPORT_OPTIONS[key] : value[key]);
  const options = {
    background: validBackground(given("background")),
    crop: validCrop(given("crop")),
    format: validFormat(given("format")),
    maxSize: validMaxSize(given("maxSize")),
    onlyMask: validOnlyMask(given("onlyMask")),
  };
  if (!canBeTransparent(options) && options.background === "transparent") {
    throw refused(`format ${show(options.format)} cannot be transparent: give background a colour or "blur".`);
  }
  return options;
}

function validBackground(background) {
  if (background === "transparent" || background === "blur") return background;
  if (typeof background === "string" && COLOUR.test(background)) return background.toLowerCase();
  throw refused(`background must be "transparent", "blur" or a colour #rrggbb, not ${show(background)}.`);
}

function validCrop(crop) {
  if (crop === null) return null;
  if (!isPlainObject(crop)) {
    throw refused(`crop must be null (the whole picture) or {margin, unit}, not ${show(crop)}.`);
  }
  const extra = Object.keys(crop).find((key) => key !== "margin" && key !== "unit");
  if (extra !== undefined) throw refused(`crop has no field ${show(extra)}.`);
  const { margin, unit } = crop;
  if (!Object.hasOwn(MARGIN_LIMITS, unit)) {
    throw refused(`crop.unit must be one of ${Object.keys(MARGIN_LIMITS).map(show).join(", ")}, not ${show(unit)}.`);
  }
  if (typeof margin !== "number" || !Number.isFinite(margin) || margin < 0 || margin > MARGIN_LIMITS[unit]) {
    throw refused(`crop.margin must be a number from 0 to ${MARGIN_LIMITS[unit]} (${unit}), not ${show(margin)}.`);
  }
  return { margin, unit };
}

function validFormat(format) {
  if (typeof format === "string" && Object.hasOwn(EXPORT_FORMATS, format)) return format;
  throw refused(`format must be one of ${Object.keys(EXPORT_FORMATS).map(show).join(", ")}, not ${show(format)}.`);
}

function validMaxSize(maxSize) {
  const { min, max } = MAX_SIZE_LIMITS;
  if (maxSize === null || (Number.isInteger(maxSize) && maxSize >= min && maxSize <= max)) return maxSize;
  throw refused(`maxSize must be null (the original size) or a whole number of pixels from ${min} to ${max}, ` +
    `not ${show(maxSize)}.`);
}

function validOnlyMask(onlyMask) {
  if (typeof onlyMask === "boolean") return onlyMask;
  throw refused(`onlyMask must be true or false, not ${show(onlyMask)}.`);
}

/** Remembered options (chrome.storage.local) as the page can use them: the defaults for anything that fails. */
function storedExportOptions(stored) {
  try {
    return validateExportOptions(stored ?? {});
  } catch {
    return validateExportOptions({});
  }
}

/**
 * `options` with `change` applied (some of its fields) and the rule kept: a
 * format without alpha turns "transparent" into white (the mask has no
 * background, so it keeps the choice for when the mask is unticked).
 */
function changeExportOptions(options, change) {
  const next = { ...options, ...change };
  if (!canBeTransparent(next) && next.background === "transparent") next.background = OPAQUE_FALLBACK;
  return validateExportOptions(next);
}

/** True when `options` give exactly remove-background's cutout: transparent PNG, whole canvas, original size. */
function isPlainCutout(options) {
  return options.background === "transparent" && options.crop === null && options.format === "png" &&
    options.maxSize === null && !options.onlyMask;
}

/** The same picture as a PNG (the clipboard takes only PNG; the preview shows PNG). */
function asPng(options) {
  return { ...options, format: "png" };
}

function exportExtension(options) {
  return EXPORT_FORMATS[options.format].extension;
}

function exportMime(options) {
  return EXPORT_FORMATS[options.format].mime;
}

/** Whether "transparent" is a background these options can have (not for JPEG, unless only the mask is made). */
function canBeTransparent(options) {
  return options.onlyMask || EXPORT_FORMATS[options.format]?.alpha !== false;
}

function refused(text) {
  return new OffcutFailure(ErrorCode.badRequest, text);
}

function isPlainObject(value) {
  return value !== null && typeof value === "object" && [Object.prototype, null].includes(Object.getPrototypeOf(value));
}

function show(value) {
  let text;
  try {
    text = typeof value === "number" ? String(value) : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value); // a BigInt, a cycle
  }
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

function deepFreeze(value) {
  if (value && typeof value === "object") for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}
