// What each stage of the engine's boot and of a job is called on screen
// (the popup's status line, each image of the results page).
export { stageText };

import { t } from "./i18n.js";

const STAGE_LABELS = {
  "load-runtime": "stageLoadRuntime",
  "load-package": "stageLoadPackage",
  "open-model": "stageOpenModel",
  fetch: "stageFetch",
  decode: "stageDecode",
  pipeline: "stagePipeline",
};

/** The stage's words in the user's language; null for a stage not shown (e.g. a model download's). */
function stageText(stage) {
  return STAGE_LABELS[stage] ? t(STAGE_LABELS[stage]) : null;
}
