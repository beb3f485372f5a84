// Results page entry: a list of images (chosen, dropped or pasted here, or
// handed over by the popup and the "open in Offcut" menu item), each sent
// through the same remove-background request as the popup's, previewed, and
// saved one by one or all at once into one folder per batch, as the Export
// panel's options make them (the engine's export-cutout when they are not the plain cutout).
import {
  EXPORT_OPTIONS_KEY, changeExportOptions, exportExtension, storedExportOptions,
} from "../shared/export_options.js";
import { takeHandedOver } from "../shared/handoff.js";
import { notAnImageError, watchImageInputs } from "../shared/image_inputs.js";
import { DEFAULT_PATTERN, patternFilename } from "../shared/filename.js";
import { describe, localizePage, t } from "../shared/i18n.js";
import { ErrorCode, Target, Type, message, toFailure } from "../shared/protocol.js";
import { readCutout } from "../shared/read_cutout.js";
import { Batch, ItemState } from "./batch.js";
import { ExportPanel } from "./export_panel.js";
import { ExportPreview, PngExports } from "./exports.js";
import { Saving } from "./saving.js";
import { ResultsView } from "./view.js";
import { Zoom } from "./zoom.js";

localizePage(document);
const batch = new Batch();
const view = new ResultsView(document);
const zoom = new Zoom(document.getElementById("compare"), document.getElementById("zoomable"));
const byJob = new Map(); // jobId → item, for the engine's progress reports
let selectedId = null;
// "Save all" puts this page's cutouts in one folder of Downloads, named when the page opened.
const folder = `offcut-${new Date().toISOString().slice(0, 19).replace("T", "-").replaceAll(":", "")}`;
// The file-name pattern (filename.js), kept for the next visit.
const PATTERN_KEY = "offcut.fileNamePattern";
const patternInput = document.getElementById("name-pattern");
chrome.storage.local.get(PATTERN_KEY).then((stored) => {
  patternInput.value = stored[PATTERN_KEY] ?? DEFAULT_PATTERN;
});
patternInput.addEventListener("change", () => chrome.storage.local.set({ [PATTERN_KEY]: patternInput.value }));
// The export options (shared/export_options.js), kept for the next visit; stored ones that no longer validate are dropped.
let exportOptions = storedExportOptions(undefined);
let isExportChanged = false; // by the user, before the stored options were read: theirs win
const pngExports = new PngExports();
const preview = new ExportPreview(view, pngExports, (item, error) => view.note(item, error ? describe(error) : ""));
const saving = new Saving({ view, batch, pngExports, folder, nameOf: savedName });
const panel = new ExportPanel(document, (change) => {
  isExportChanged = true;
  setExportOptions(changeExportOptions(exportOptions, change));
  chrome.storage.local.set({ [EXPORT_OPTIONS_KEY]: exportOptions });
});
setExportOptions(exportOptions);
chrome.storage.local.get(EXPORT_OPTIONS_KEY).then((stored) => {
  if (!isExportChanged) setExportOptions(storedExportOptions(stored[EXPORT_OPTIONS_KEY]));
});

chrome.runtime.onMessage.addListener((msg) => {
  if (msg?.target !== Target.broadcast) return;
  if (msg.type === Type.handoffReady) takeImages();
  if (msg.type === Type.reportProgress && byJob.has(msg.payload?.jobId)) {
    const item = byJob.get(msg.payload.jobId);
    if (item.state === ItemState.running) view.update(item, msg.payload);
  }
});
watchImageInputs(document, addFiles);
takeImages();
summarise();
// The engine takes a moment to start: start it while the user finds images (as the popup does).
// A failure here is reported by the first image that needs the engine.
chrome.runtime.sendMessage(message(Target.background, Type.warmUp)).catch(() => {});

document.getElementById("cancel-all").addEventListener("click", cancelAll);
document.getElementById("save-all").addEventListener("click", () => saving.saveAll(exportOptions));
document.getElementById("save-button").addEventListener("click", () => saving.saveOne(batch.get(selectedId), exportOptions));
document.getElementById("copy-button").addEventListener("click", () => saving.copyOne(batch.get(selectedId), exportOptions));
document.getElementById("split").addEventListener("input", (event) => view.showSplit(Number(event.target.value)));
for (const radio of document.querySelectorAll("input[name=backdrop]")) {
  radio.addEventListener("change", () => view.backdrop(radio.value));
}
document.getElementById("zoom-in").addEventListener("click", () => zoom.zoomIn());
document.getElementById("zoom-out").addEventListener("click", () => zoom.zoomOut());
document.getElementById("zoom-fit").addEventListener("click", () => zoom.fit());
document.addEventListener("keydown", onKey);
// Closing the page stops its images: nobody would see them, and the engine is wanted elsewhere.
window.addEventListener("pagehide", () => {
  for (const item of batch.cancelAll()) askToCancel(item);
});

/** Images the popup or the menu handed over while this page was closed, or just now. */
async function takeImages() {
  try {
    for (const image of await takeHandedOver()) {
      if (image.file) addFile(image.file, image.name);
      else addUrl(image);
    }
  } catch (err) {
    view.say(describe(toFailure(err).error), true);
  }
  pump();
}

function addFiles(list) {
  if (list.length === 0) {
    view.say(notAnImageError(null).message, true);
    return;
  }
  for (const file of list) addFile(file, file.name);
  pump();
}

function addFile(file, name) {
  const refusal = notAnImageError(file);
  // The page (and the engine document, same origin) reads the file through this URL: no pixels in messages.
  const item = batch.add({
    name: name || t("thatFile"), fileName: name ?? "", file, thumbUrl: refusal ? null : URL.createObjectURL(file),
  });
  view.add(item, { onSelect: select, onCancel: cancelOne });
  if (refusal) settle(batch.fail(item.id, refusal));
  if (selectedId === null) select(item.id);
}

function addUrl({ url, name, pageUrl }) {
  const item = batch.add({ name: name || t("thatFile"), fileName: name ?? "", url, pageUrl, thumbUrl: url });
  view.add(item, { onSelect: select, onCancel: cancelOne });
  if (selectedId === null) select(item.id);
}

/** Send the next images, as many as the batch lets be in flight. */
function pump() {
  for (const item of batch.takeStartable()) run(item);
  summarise();
}

async function run(item) {
  item.jobId = crypto.randomUUID();
  byJob.set(item.jobId, item);
  view.update(item);
  try {
    const reply = await chrome.runtime.sendMessage(message(Target.background, Type.removeBackground, {
      url: item.file ? item.thumbUrl : item.url, name: item.fileName || undefined, jobId: item.jobId, save: false, pageUrl: item.pageUrl,
    }));
    if (reply?.ok) {
      const png = await readCutout(reply.result.previewUrl);
      settle(batch.finish(item.id, { ...reply.result, png, previewUrl: URL.createObjectURL(png) }));
    } else if (reply?.error?.code === ErrorCode.cancelled) {
      settle(batch.cancelled(item.id));
    } else {
      settle(batch.fail(item.id, reply?.error ?? { code: ErrorCode.internal, message: t("noAnswer") }));
    }
  } catch (err) {
    settle(batch.fail(item.id, toFailure(err).error));
  } finally {
    byJob.delete(item.jobId);
    pump();
  }
}

/** Show what became of an item (null: it had already settled). */
function settle(item) {
  if (!item) return;
  view.update(item);
  if (item.id === selectedId) select(item.id);
  summarise();
}

function select(id, options = {}) {
  const item = batch.get(id);
  if (!item) return;
  if (selectedId !== id) zoom.fit(); // another picture starts whole
  selectedId = id;
  view.select(item, options);
  view.showSplit(Number(document.getElementById("split").value));
  preview.update(item, exportOptions, { keepShown: false }); // the view shows the plain cutout now
}

function setExportOptions(options) {
  exportOptions = options;
  panel.show(options);
  view.showExportFormat(options);
  const item = batch.get(selectedId);
  if (item) preview.update(item, options, { keepShown: true });
}

async function cancelOne(id) {
  const action = batch.cancel(id);
  if (action === "dropped") settle(batch.get(id));
  if (action === "stop") await askToCancel(batch.get(id));
}

async function cancelAll() {
  const running = batch.cancelAll();
  for (const item of batch.items) if (item.state === ItemState.cancelled) view.update(item);
  summarise();
  await Promise.all(running.map(askToCancel));
}

function askToCancel(item) {
  return chrome.runtime.sendMessage(message(Target.background, Type.cancelJob, { jobId: item.jobId })).catch(() => {});
}

/** The file name the pattern gives `item` (its place counts every image of the list, failed ones too). */
function savedName(item, options) {
  return patternFilename(patternInput.value, {
    name: item.fileName, index: batch.items.indexOf(item) + 1, date: new Date(), extension: exportExtension(options),
  });
}

function summarise() {
  view.summary(batch.counts());
}

// Keyboard: arrows move through the list, Esc cancels the selected image,
// Ctrl+S saves it, Ctrl+C copies it (unless text is selected); Ctrl+V pastes.
function onKey(event) {
  const ctrl = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  const inList = event.target instanceof Element && event.target.closest("#queue");
  // In the file-name and number fields the keys edit text (getSelection() does not see a field's selection).
  const isTextField = event.target instanceof HTMLInputElement && ["text", "number"].includes(event.target.type);
  if (isTextField && !(ctrl && key === "s")) return;
  if (inList && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
    event.preventDefault();
    const next = batch.neighbour(selectedId, event.key === "ArrowDown" ? 1 : -1);
    if (next !== null) select(next, { focus: true });
  } else if (event.key === "Escape" && selectedId !== null) {
    cancelOne(selectedId);
  } else if (ctrl && key === "s") {
    event.preventDefault(); // not the browser's "save page"
    saving.saveOne(batch.get(selectedId), exportOptions);
  } else if (ctrl && key === "c" && !String(getSelection())) {
    if (batch.get(selectedId)?.state !== ItemState.done) return;
    event.preventDefault();
    saving.copyOne(batch.get(selectedId), exportOptions);
  }
}
