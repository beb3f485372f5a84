// The results page's DOM: one list entry per image (thumbnail, name, state,
// progress, Cancel, an export's failure), the summary line, and the selected
// image's preview: the cutout, or the picture the export options make of it.
export { ResultsView };

import { exportExtension } from "../shared/export_options.js";
import { describe, t } from "../shared/i18n.js";
import { stageText } from "../shared/stage_labels.js";
import { ItemState } from "./batch.js";

const STATE_WORDS = {
  [ItemState.waiting]: "statusWaiting",
  [ItemState.running]: "statusWorking",
  [ItemState.cancelled]: "statusCancelled",
};

class ResultsView {
  constructor(doc) {
    this.doc = doc;
    this.queue = doc.getElementById("queue");
    this.empty = doc.getElementById("empty");
    this.summaryLine = doc.getElementById("summary");
    this.saveAll = doc.getElementById("save-all");
    this.cancelAll = doc.getElementById("cancel-all");
    this.preview = doc.getElementById("preview");
    this.previewName = doc.getElementById("preview-name");
    this.previewStatus = doc.getElementById("preview-status");
    this.compare = doc.getElementById("compare");
    this.before = doc.getElementById("before");
    this.after = doc.getElementById("after");
    this.split = doc.getElementById("split");
    this.saveButton = doc.getElementById("save-button");
    this.copyButton = doc.getElementById("copy-button");
    this.nameExtension = doc.getElementById("name-extension");
    this.after.alt = t("cutoutAlt");
    this.percent = Number(this.split.value);
    this.entries = new Map(); // item id → {li, select, thumb, state, progress, cancel, note}
    this.before.addEventListener("error", () => {
      this.before.hidden = true; // not an image the browser can show: its error says so below
    });
  }

  /** A new entry for `item`; `onSelect(id)`, `onCancel(id)` are its buttons. */
  add(item, { onSelect, onCancel }) {
    const li = this.doc.createElement("li");
    li.className = "item";
    li.dataset.id = String(item.id);
    const select = this.doc.createElement("button");
    select.type = "button";
    select.className = "select";
    const thumb = this.doc.createElement("img");
    thumb.alt = ""; // the name beside it says what it is
    if (item.thumbUrl) thumb.src = item.thumbUrl;
    const name = this.doc.createElement("span");
    name.className = "name";
    name.textContent = item.name;
    const state = this.doc.createElement("span");
    state.className = "state";
    select.append(thumb, name, state);
    select.addEventListener("click", () => onSelect(item.id));
    const progress = this.doc.createElement("progress");
    progress.max = 4;
    progress.value = 0;
    progress.setAttribute("aria-label", t("resultsProgressOf", item.name));
    const cancel = this.doc.createElement("button");
    cancel.type = "button";
    cancel.className = "secondary cancel";
    cancel.textContent = t("cancel");
    cancel.setAttribute("aria-label", t("resultsCancelOne", item.name));
    cancel.addEventListener("click", () => onCancel(item.id));
    const note = this.doc.createElement("p");
    note.className = "note";
    note.hidden = true;
    li.append(select, progress, cancel, note);
    this.queue.append(li);
    this.entries.set(item.id, { li, select, thumb, state, progress, cancel, note });
    this.empty.hidden = true;
    this.update(item);
  }

  /** Show `item`'s state; `stage`: a progress report ({stage, done, total}) of its job. */
  update(item, stage = null) {
    const entry = this.entries.get(item.id);
    if (!entry) return;
    entry.li.dataset.state = item.state;
    const finished = ![ItemState.waiting, ItemState.running].includes(item.state);
    entry.cancel.hidden = finished;
    entry.progress.hidden = finished || item.state === ItemState.waiting;
    if (item.state === ItemState.done) {
      entry.state.textContent = t("resultsDone", item.result.width, item.result.height);
      entry.thumb.src = item.result.previewUrl;
    } else if (item.state === ItemState.failed) {
      entry.state.textContent = describe(item.error);
    } else if (stage) {
      entry.state.textContent = stageText(stage.stage) ?? entry.state.textContent;
      entry.progress.max = stage.total;
      entry.progress.value = stage.done;
    } else {
      entry.state.textContent = t(STATE_WORDS[item.state]);
    }
    entry.li.classList.toggle("error", item.state === ItemState.failed);
  }

  /** A failed export of `item` (finished: its state stays), shown on its entry; "" clears it. */
  note(item, text) {
    const entry = this.entries.get(item.id);
    if (!entry) return;
    entry.note.textContent = text;
    entry.note.hidden = !text;
  }

  /** Mark `item` as the selected one and show it in the preview; `focus`: move the keyboard focus to its entry. */
  select(item, { focus = false } = {}) {
    for (const [id, entry] of this.entries) {
      if (id === item.id) entry.select.setAttribute("aria-current", "true");
      else entry.select.removeAttribute("aria-current");
    }
    if (focus) this.entries.get(item.id)?.select.focus();
    this.showPreview(item);
  }

  showPreview(item) {
    this.preview.hidden = false;
    this.previewName.textContent = item.name;
    this.before.hidden = !item.thumbUrl;
    if (item.thumbUrl) this.before.src = item.thumbUrl;
    const done = item.state === ItemState.done;
    this.after.hidden = !done;
    this.saveButton.hidden = !done;
    this.copyButton.hidden = !done;
    this.split.disabled = !done;
    if (done) {
      this.showExported(item, null);
      return;
    }
    this.marks("none", null);
    this.previewStatus.classList.toggle("error", item.state === ItemState.failed);
    this.previewStatus.textContent = item.state === ItemState.failed ? describe(item.error)
      : this.entries.get(item.id)?.state.textContent ?? "";
  }

  /**
   * The "after" picture of a finished `item`: `exported` (a PNG export: {previewUrl, width, height, box})
   * or, null, the cutout itself. The original shows the part of the photo the export kept
   * (object-view-box: display only), so the slider compares the same part of both.
   */
  showExported(item, exported) {
    const { width, height } = item.result;
    const [top, left, bottom, right] = exported?.box ?? [0, 0, height, width];
    this.after.hidden = false;
    this.after.src = exported?.previewUrl ?? item.result.previewUrl;
    this.after.alt = exported ? t("exportPreviewAlt") : t("cutoutAlt");
    this.previewStatus.textContent = exported ? t("exportPreviewDone", exported.width, exported.height)
      : t("resultsDone", width, height);
    this.marks(exported ? "export" : "cutout", `inset(${top}px ${width - right}px ${height - bottom}px ${left}px)`);
  }

  /** An export for the preview is on its way; `keepShown`: the picture shown stays meanwhile, else it goes. */
  previewUpdating(keepShown) {
    if (!keepShown) this.after.hidden = true;
    this.previewStatus.textContent = t("exportUpdating");
    this.marks("updating", keepShown ? undefined : null);
  }

  previewFailed(text) {
    this.after.hidden = true;
    this.previewStatus.textContent = text;
    this.marks("failed", null);
  }

  /** The preview's state (data-preview, for styles and tests) and the original's view box (null: whole; undefined: as it is). */
  marks(state, viewBox) {
    this.compare.dataset.preview = state;
    this.previewStatus.classList.toggle("error", state === "failed");
    if (viewBox === null) this.before.style.removeProperty("object-view-box");
    else if (viewBox !== undefined) this.before.style.setProperty("object-view-box", viewBox);
    this.showSplit();
  }

  /** The Save button and the file names follow the export's format. */
  showExportFormat(options) {
    const labels = { png: () => t("savePng"), webp: () => t("resultsSaveWebp"), jpeg: () => t("resultsSaveJpeg") };
    this.saveButton.textContent = labels[options.format]();
    this.nameExtension.textContent = `.${exportExtension(options)}`;
  }

  /**
   * The before/after slider: the cutout on the right `percent` of the
   * picture, the original on the rest (each clipped: the cutout is
   * transparent, so the original must not show through it).
   */
  showSplit(percent = this.percent) {
    this.percent = percent;
    this.after.style.clipPath = `inset(0 0 0 ${100 - percent}%)`;
    this.before.style.clipPath = this.after.hidden ? "" : `inset(0 ${percent}% 0 0)`;
  }

  backdrop(kind) {
    for (const name of ["checkerboard", "dark", "light"]) this.compare.classList.toggle(name, name === kind);
  }

  summary(counts) {
    this.summaryLine.textContent = t("resultsSummary", counts.done, counts.total, counts.failed,
      counts.waiting + counts.running);
    this.saveAll.disabled = counts.done === 0;
    this.cancelAll.disabled = counts.waiting + counts.running === 0;
  }

  say(text, isError = false) {
    this.summaryLine.textContent = text;
    this.summaryLine.classList.toggle("error", isError);
  }
}
