// Where a page's images come from: paste, drop, or the file chooser (the
// popup's and the results page's). Each gesture gives the page its list of
// Files, possibly empty; the page decides what to do with them.
import { t } from "./i18n.js";
import { ErrorCode } from "./protocol.js";

export { notAnImageError, watchImageInputs };

function watchImageInputs(doc, onFiles) {
  const zone = doc.getElementById("drop-zone");
  const chooser = doc.getElementById("file-input");
  const take = (files) => onFiles([...(files ?? [])]);
  doc.addEventListener("paste", (event) => {
    // Text pasted into a field (the results page's file-name pattern) is the field's.
    const intoField = event.target instanceof HTMLInputElement && event.target.type === "text";
    if (intoField && !event.clipboardData?.files?.length) return;
    event.preventDefault();
    take(event.clipboardData?.files);
  });
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    take(event.dataTransfer?.files);
  });
  zone.addEventListener("keydown", (event) => {
    // A label is not a button to the keyboard: Enter and Space open the chooser, as a click does.
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      chooser.click();
    }
  });
  chooser.addEventListener("change", () => {
    take(chooser.files);
    chooser.value = ""; // so choosing the same file again is a change too
  });
}

/**
 * Why a given file (or nothing at all) cannot be worked on, in the error
 * shape every page shows; null when it is an image.
 */
function notAnImageError(file) {
  if (file?.type.startsWith("image/")) return null;
  const message = file ? t("notAnImage", file.name || t("thatFile")) : t("noImage");
  return { code: ErrorCode.notAnImage, message };
}
