// Where popup images come from: paste, drop, or the file chooser. Each gives
// a File; anything that is not an image is refused here with a clear message.
export { watchImageInputs };

import { t } from "../shared/i18n.js";

function watchImageInputs(doc, onFile, onRefused) {
  const zone = doc.getElementById("drop-zone");
  const chooser = doc.getElementById("file-input");
  const take = (files) => {
    const list = [...(files ?? [])];
    const image = list.find((f) => f.type.startsWith("image/"));
    if (image) onFile(image);
    else onRefused(list.length ? t("notAnImage", list[0].name || t("thatFile")) : t("noImage"));
  };
  doc.addEventListener("paste", (event) => {
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
