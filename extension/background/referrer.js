// Hotlink-protected images: a server that serves an image only to its own
// pages (it checks the Referer) refuses the engine, which sends none. The
// image is on the user's screen, so the request is repeated as the browser
// made it to show the image: with that page's address as Referer, for that
// one image URL, on requests from this extension only, for that one retry.
// Nothing else is sent anywhere: no cookies, and the rule is removed at once.
export { askAgainAsPage, withPageReferrer };

import { ErrorCode } from "../shared/protocol.js";

let nextRuleId = 1;

/**
 * ask(); when the site refuses the image (fetch-forbidden) and it was shown on a web page, askAgain() with that
 * page's Referer. Both the cut (jobs.js) and a blurred export's read of the photo go through here.
 */
async function askAgainAsPage(imageUrl, pageUrl, ask, askAgain = ask) {
  try {
    return await ask();
  } catch (err) {
    if (err.code !== ErrorCode.fetchForbidden || !imageUrl || !/^https?:/.test(pageUrl ?? "")) throw err;
  }
  return withPageReferrer(imageUrl, pageUrl, askAgain);
}

async function withPageReferrer(imageUrl, pageUrl, run) {
  const referrer = referrerAsBrowserSends(imageUrl, pageUrl);
  if (!referrer) return run(); // the browser sends none either (an https page, an http image)
  const id = nextRuleId++;
  await chrome.declarativeNetRequest.updateSessionRules({
    removeRuleIds: [id],
    addRules: [{
      id,
      priority: 1,
      action: { type: "modifyHeaders", requestHeaders: [{ header: "referer", operation: "set", value: referrer }] },
      condition: {
        regexFilter: `^${escapeRegex(imageUrl)}$`,
        initiatorDomains: [chrome.runtime.id],
        resourceTypes: ["xmlhttprequest", "other"],
      },
    }],
  });
  try {
    return await run();
  } finally {
    await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: [id] });
  }
}

/** The Referer under the default policy (strict-origin-when-cross-origin): the page's URL to its own
 * origin, its origin alone to another, nothing from https to http. */
function referrerAsBrowserSends(imageUrl, pageUrl) {
  const image = new URL(imageUrl);
  const page = new URL(pageUrl);
  if (page.protocol === "https:" && image.protocol !== "https:") return null;
  if (image.origin === page.origin) return `${page.origin}${page.pathname}${page.search}`;
  return `${page.origin}/`;
}

function escapeRegex(text) {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}
