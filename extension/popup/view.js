// The popup's DOM: status line, progress bar, before/after preview.
export { PopupView };

const STAGE_LABELS = {
  "load-runtime": "Starting Python…",
  "load-package": "Loading Offcut…",
  "open-model": "Opening the model…",
  fetch: "Reading the image…",
  decode: "Decoding…",
  pipeline: "Removing the background…",
};

class PopupView {
  constructor(doc) {
    this.status = doc.getElementById("status");
    this.busyRow = doc.getElementById("working"); // progress bar + Cancel, shown while a job runs
    this.progress = doc.getElementById("progress");
    this.result = doc.getElementById("result");
    this.original = doc.getElementById("original");
    this.cutout = doc.getElementById("cutout");
    this.caption = doc.getElementById("cutout-caption");
    this.saveButton = doc.getElementById("save-button");
  }

  working(originalUrl) {
    this.result.hidden = true;
    this.original.src = originalUrl;
    this.say("Working…");
    this.busyRow.hidden = false;
    this.progress.value = 0;
  }

  stage({ stage, done, total }) {
    if (STAGE_LABELS[stage]) this.say(STAGE_LABELS[stage]);
    this.progress.max = total;
    this.progress.value = done;
  }

  done(result) {
    this.busyRow.hidden = true;
    this.cutout.src = result.previewUrl;
    const seconds = Object.values(result.timings).reduce((a, b) => a + b, 0).toFixed(1);
    this.caption.textContent = `Cutout ${result.width}×${result.height}, ${result.backend}`;
    this.saveButton.hidden = result.saved;
    this.say(result.saved ? `Saved ${result.filename} (${seconds} s).` : `Done in ${seconds} s: Save PNG or Copy.`);
    this.result.hidden = false;
  }

  failed(error) {
    this.busyRow.hidden = true;
    this.say(error.message, true);
  }

  saved(filename) {
    this.saveButton.hidden = true;
    this.say(`Saved ${filename}.`);
  }

  cancelled() {
    this.busyRow.hidden = true;
    this.say("Cancelled.");
  }

  say(text, isError = false) {
    this.status.textContent = text;
    this.status.classList.toggle("error", isError);
  }
}
