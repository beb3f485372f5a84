// The options page: every model with what it is for, its size, licence,
// source and status, Download / Remove, the storage used, the model
// right-click and the popup use (a setting), and the download source setting.
import { describe, localizePage, megabytes, t } from "../shared/i18n.js";
import { askBackground as ask } from "../shared/requests.js";
import { ErrorCode, Target, Type, message } from "../shared/protocol.js";

localizePage(document);
const $ = (id) => document.getElementById(id);
const STATUS_WORDS = { packaged: "statusPackaged", stored: "statusStored", absent: "statusAbsent" };
let downloading = null; // the model id being downloaded from this page

chrome.runtime.onMessage.addListener((msg) => {
  if (msg?.target === Target.broadcast && msg.payload?.stage === "download") showProgress(msg.payload);
});
$("download-cancel").addEventListener("click", () => ask(Type.cancelInstall, { model: downloading }));
$("source-form").addEventListener("submit", (event) => {
  event.preventDefault();
  setSource($("source-url").value);
});
$("source-reset").addEventListener("click", () => setSource(""));
$("default-model").addEventListener("change", () => setDefaultModel($("default-model").value));
render();
ask(Type.modelSource).then(({ baseUrl }) => { $("source-url").value = baseUrl; });

let titles = new Map(); // model id → title, for the rows that share a download

async function render() {
  const [{ models, storedBytes }, { model: setting }] = await Promise.all([ask(Type.listModels), ask(Type.defaultModel)]);
  titles = new Map(models.map((model) => [model.id, model.title]));
  const body = $("models").tBodies[0];
  body.replaceChildren(...models.map(row));
  const inUse = models.find((model) => model.default);
  renderDefaultChoice(models, setting);
  $("right-click-model").textContent = t("optionsRightClickUses", inUse?.title ?? "");
  $("storage-used").textContent = t("optionsStorage", megabytes(storedBytes));
}

function row(model) {
  const tr = document.createElement("tr");
  const name = cell(model.title);
  name.append(small(model.description));
  if (model.sharesDownloadWith.length) name.append(small(t("optionsSharedDownload", titlesOf(model.sharesDownloadWith))));
  const licence = cell(model.licence);
  licence.append(small(model.origin));
  const action = document.createElement("td");
  if (model.status === "absent") action.append(button(t("modelDownload"), () => download(model), model.title));
  if (model.status === "stored") action.append(button(t("optionsRemove"), () => remove(model), model.title, true));
  tr.append(name, cell(`${megabytes(model.bytes)} MB`), licence, cell(t(STATUS_WORDS[model.status])), action);
  return tr;
}

/** Automatic, or one model (one not downloaded cannot be chosen); the setting as stored is selected. */
function renderDefaultChoice(models, setting) {
  const choices = [new Option(t("optionsDefaultAutomatic"), "")];
  for (const model of models) {
    const option = new Option(model.title, model.id);
    option.disabled = model.status === "absent";
    choices.push(option);
  }
  $("default-model").replaceChildren(...choices);
  $("default-model").value = setting;
}

async function setDefaultModel(model) {
  const reply = await chrome.runtime.sendMessage(message(Target.background, Type.defaultModel, { model }));
  if (reply?.ok) say("");
  else say(describe(reply?.error ?? { message: t("noAnswer") }), true);
  await render();
}

async function download(model) {
  downloading = model.id;
  $("download-row").hidden = false;
  say(t("modelStarting"));
  const reply = await chrome.runtime.sendMessage(message(Target.background, Type.installModel, { model: model.id }));
  downloading = null;
  $("download-row").hidden = true;
  if (reply?.ok) say(t("modelReady", model.title));
  else if (reply?.error?.code === ErrorCode.cancelled) say(t("modelCancelled"));
  else say(describe(reply?.error ?? { message: t("noAnswer") }), true);
  await render();
}

async function remove(model) {
  const { freedBytes, alsoRemoved } = await ask(Type.removeModel, { model: model.id });
  say(alsoRemoved.length
    ? t("optionsRemovedShared", model.title, titlesOf(alsoRemoved), megabytes(freedBytes))
    : t("optionsRemoved", model.title, megabytes(freedBytes)));
  await render();
}

function titlesOf(ids) {
  return ids.map((id) => titles.get(id) ?? id).join(", ");
}

function showProgress({ done, total }) {
  $("download-row").hidden = false;
  $("download-progress").max = total;
  $("download-progress").value = done;
  say(t("optionsProgress", megabytes(done), megabytes(total)));
}

async function setSource(baseUrl) {
  const reply = await chrome.runtime.sendMessage(message(Target.background, Type.setModelSource, { baseUrl }));
  const status = $("source-status");
  status.classList.toggle("error", !reply?.ok);
  if (reply?.ok) {
    $("source-url").value = reply.result.baseUrl;
    status.textContent = t("optionsSourceSaved", reply.result.baseUrl);
  } else {
    status.textContent = describe(reply?.error ?? { message: t("noAnswer") });
  }
}

function say(text, isError = false) {
  $("models-status").textContent = text;
  $("models-status").classList.toggle("error", isError);
}

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

function small(text) {
  const element = document.createElement("small");
  element.textContent = text;
  return element;
}

function button(text, onClick, about, secondary = false) {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = text;
  element.setAttribute("aria-label", `${text}: ${about}`);
  if (secondary) element.className = "secondary";
  element.addEventListener("click", onClick);
  return element;
}
