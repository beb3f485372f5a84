// The results page's Export panel: its controls shown from one options object
// (shared/export_options.js) and each change reported as the fields it changes.
// The rules between fields (JPEG is never transparent) are export_options.js's.
export { ExportPanel };

import { t } from "../shared/i18n.js";
import { BACKGROUND_PRESETS, MARGIN_LIMITS, MAX_SIZE_LIMITS, canBeTransparent } from "../shared/export_options.js";

// The presets' names for assistive technology (a colour swatch shows no text); a preset
// export_spec.json adds without a name here is named by its code.
const PRESET_NAMES = {
  "#ffffff": () => t("exportWhite"),
  "#000000": () => t("exportBlack"),
  "#f2f2f2": () => t("exportLightGrey"),
  "#1e6fd9": () => t("exportBlue"),
  "#d93b3b": () => t("exportRed"),
  "#2e9e5b": () => t("exportGreen"),
};

class ExportPanel {
  /** `onChange(change)`: some fields of the options, as the user changed them. */
  constructor(doc, onChange) {
    const byId = (id) => doc.getElementById(id);
    this.backgrounds = byId("export-background");
    this.backgroundRadios = [...doc.querySelectorAll("input[name=export-background]")];
    this.colour = byId("export-colour");
    this.jpegNote = byId("export-jpeg-note");
    this.crop = byId("export-crop");
    this.margin = byId("export-margin");
    this.unit = byId("export-margin-unit");
    this.format = byId("export-format");
    this.sizeRadios = [...doc.querySelectorAll("input[name=export-size]")];
    this.maxSize = byId("export-max-size");
    this.onlyMask = byId("export-only-mask");
    this.maxSize.min = String(MAX_SIZE_LIMITS.min);
    this.maxSize.max = String(MAX_SIZE_LIMITS.max);
    this.swatches = BACKGROUND_PRESETS.map((colour) => this.swatch(doc, colour, onChange));
    byId("export-presets").append(...this.swatches);

    for (const radio of this.backgroundRadios) {
      radio.addEventListener("change", () => onChange({ background: radio.value === "colour" ? this.colour.value : radio.value }));
    }
    this.colour.addEventListener("input", () => onChange({ background: this.colour.value }));
    const cropChange = () => onChange({ crop: this.crop.checked ? this.cropValue() : null });
    this.crop.addEventListener("change", cropChange);
    this.margin.addEventListener("change", cropChange);
    this.unit.addEventListener("change", cropChange);
    this.format.addEventListener("change", () => onChange({ format: this.format.value }));
    const sizeChange = () => onChange({ maxSize: this.sizeRadios.find((r) => r.checked)?.value === "limit" ? this.sizeValue() : null });
    for (const radio of this.sizeRadios) radio.addEventListener("change", sizeChange);
    this.maxSize.addEventListener("change", sizeChange);
    this.onlyMask.addEventListener("change", () => onChange({ onlyMask: this.onlyMask.checked }));
  }

  swatch(doc, colour, onChange) {
    const button = doc.createElement("button");
    button.type = "button";
    button.className = "swatch";
    button.value = colour;
    button.style.backgroundColor = colour;
    button.setAttribute("aria-label", PRESET_NAMES[colour]?.() ?? colour);
    button.title = button.getAttribute("aria-label");
    button.addEventListener("click", () => onChange({ background: colour }));
    return button;
  }

  /** Set every control from `options` (validated). */
  show(options) {
    const { background, crop, format, maxSize, onlyMask } = options;
    const kind = background === "transparent" || background === "blur" ? background : "colour";
    for (const radio of this.backgroundRadios) radio.checked = radio.value === kind;
    if (kind === "colour") this.colour.value = background;
    for (const swatch of this.swatches) swatch.setAttribute("aria-pressed", String(swatch.value === background));
    const transparentAllowed = canBeTransparent(options);
    this.backgroundRadios.find((radio) => radio.value === "transparent").disabled = !transparentAllowed;
    this.jpegNote.hidden = transparentAllowed;
    this.backgrounds.disabled = onlyMask; // the mask has no background
    this.crop.checked = crop !== null;
    if (crop) {
      this.margin.value = String(crop.margin);
      this.unit.value = crop.unit;
    }
    this.margin.max = String(MARGIN_LIMITS[this.unit.value]);
    this.margin.disabled = this.unit.disabled = crop === null;
    this.format.value = format;
    for (const radio of this.sizeRadios) radio.checked = (radio.value === "limit") === (maxSize !== null);
    if (maxSize !== null) this.maxSize.value = String(maxSize);
    this.maxSize.disabled = maxSize === null;
    this.onlyMask.checked = onlyMask;
  }

  /** The margin typed, kept within its unit's limits (an empty or unreadable field: 0). */
  cropValue() {
    const unit = this.unit.value;
    return { margin: clamp(this.margin.valueAsNumber, 0, MARGIN_LIMITS[unit], 0), unit };
  }

  /** The longest side typed, a whole number within the limits (unreadable: the largest). */
  sizeValue() {
    const { min, max } = MAX_SIZE_LIMITS;
    return Math.round(clamp(this.maxSize.valueAsNumber, min, max, max));
  }
}

function clamp(value, low, high, otherwise) {
  if (!Number.isFinite(value)) return otherwise;
  return Math.min(Math.max(value, low), high);
}
