"""The extension's exports are the CLI's: the same cutout exported in the
browser (export-cutout: the export graph on ONNX Runtime Web, libwebp /
MozJPEG in WebAssembly) and natively (onnxruntime, Pillow) decode to the
same picture, and each file is what its options say."""

from __future__ import annotations

import base64
import io
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from offcut import ExportOptions, export_cutout
from offcut._decode import decode_image
from offcut._native_encode import block_means
from offcut._png_check import cutout_rows

pytestmark = pytest.mark.browser

# Cut out once, export many times: the service worker's engine, a served photo.
CUT_AND_READ = """async (url) => {
  const reply = await chrome.runtime.sendMessage({target: 'background', type: 'remove-background',
    payload: {url, save: false}});
  if (!reply.ok) return reply;
  const bytes = new Uint8Array(await (await fetch(reply.result.previewUrl)).arrayBuffer());
  let text = ''; for (const b of bytes) text += String.fromCharCode(b);
  return {ok: true, previewUrl: reply.result.previewUrl, png: btoa(text)};
}"""
EXPORT_AND_READ = """async ([cutoutUrl, photoUrl, options]) => {
  const reply = await chrome.runtime.sendMessage({target: 'background', type: 'export-cutout',
    payload: {cutoutUrl, photoUrl, options}});
  if (!reply.ok) return reply;
  const bytes = new Uint8Array(await (await fetch(reply.result.url)).arrayBuffer());
  let text = ''; for (const b of bytes) text += String.fromCharCode(b);
  return {ok: true, result: reply.result, file: btoa(text)};
}"""

CASES = [
    ({"background": "#1e6fd9", "crop": {"margin": 4, "unit": "%"}, "format": "png", "maxSize": None,
      "onlyMask": False}, "RGB", 2),
    ({"background": "transparent", "crop": {"margin": 12, "unit": "px"}, "format": "webp", "maxSize": 200,
      "onlyMask": False}, "RGBA", 2),
    ({"background": "blur", "crop": None, "format": "jpeg", "maxSize": None, "onlyMask": False}, "RGB", None),
    ({"background": "transparent", "crop": None, "format": "png", "maxSize": 300, "onlyMask": True}, "L", 1),
]


@pytest.fixture(scope="module")
def cut(extension, site, extension_page):
    source = site.files["coffee.jpg"]
    reply = extension_page.evaluate(CUT_AND_READ, site.url("coffee.jpg"))
    assert reply["ok"], reply
    return source, reply["previewUrl"], base64.b64decode(reply["png"])


@pytest.mark.parametrize("options, mode, tolerance", CASES, ids=[c[0]["format"] + "-" + c[0]["background"]
                                                                  for c in CASES])
def test_an_export_in_the_browser_is_the_native_export(extension, site, extension_page, cut, options, mode,
                                                        tolerance):
    source, cutout_url, png = cut
    reply = extension_page.evaluate(EXPORT_AND_READ, [cutout_url, site.url("coffee.jpg"), options])
    assert reply["ok"], reply
    result, data = reply["result"], base64.b64decode(reply["file"])
    browser = Image.open(io.BytesIO(data))
    assert browser.format == {"png": "PNG", "webp": "WEBP", "jpeg": "JPEG"}[options["format"]]
    assert result["mime"] == Image.MIME[browser.format] and result["bytes"] == len(data)
    assert browser.size == (result["width"], result["height"]) and browser.mode == mode, browser.mode
    assert not browser.info.get("exif") and "icc_profile" not in browser.info

    native = _native_export(png, source, ExportOptions.from_json(options))
    assert tuple(result["box"]) == native.box
    theirs = np.asarray(browser.convert("RGBA")).astype(int)
    ours = np.asarray(Image.open(io.BytesIO(native.data)).convert("RGBA")).astype(int)
    assert theirs.shape == ours.shape
    if tolerance is None:  # two JPEG encoders: the same picture, block by block
        difference = np.abs(block_means(theirs[..., :3]) - block_means(ours[..., :3])).mean()
        assert difference <= 2, difference
    else:  # the same graph on two runtimes: float rounding at most
        assert np.abs(theirs - ours).max() <= tolerance


def test_bad_export_requests_are_refused_where_they_are_made(extension_page, site, cut):
    _, cutout_url, _ = cut
    send = """([payload]) => chrome.runtime.sendMessage({target: 'background', type: 'export-cutout', payload})"""
    transparent_jpeg = extension_page.evaluate(send, [{"cutoutUrl": cutout_url, "options": {"format": "jpeg"}}])
    assert transparent_jpeg["error"]["code"] == "bad-request"
    outside = extension_page.evaluate(send, [{"cutoutUrl": site.url("coffee.jpg"), "options": {}}])
    assert outside["error"]["code"] == "bad-request" and "cutoutUrl" in outside["error"]["message"]
    no_photo = extension_page.evaluate(send, [{"cutoutUrl": cutout_url, "options": {"background": "blur"}}])
    assert no_photo["error"]["code"] == "bad-request" and "photoUrl" in no_photo["error"]["message"]


def _native_export(png: bytes, source, options: ExportOptions):
    width, height, bands = cutout_rows(png)
    rows = b"".join(bands)
    photo = decode_image(source) if options.needs_photo else None

    cutout = SimpleNamespace(png_rows=rows, width=width, height=height)
    with ThreadPoolExecutor(1) as pool:  # off Playwright's thread: its sync API keeps an event loop running there
        return pool.submit(export_cutout, cutout, options, photo).result()


def test_a_blurred_background_reads_a_hotlink_protected_photo_as_its_page_does(extension_page, site, demo_page):
    """The photo is read again for the blur: a site that serves it only to its own pages gets that page's Referer."""
    origin = site.page_origin
    # The photo's URL is one no request has read yet: the cut's own download would be in the HTTP cache, and a
    # cached copy (fresh by its age, heuristically) is served without asking the site.
    url = site.url("hotlinked.jpg?export")
    cut = extension_page.evaluate("""async ([url, pageUrl]) => chrome.runtime.sendMessage({target: 'background',
        type: 'remove-background', payload: {url, pageUrl, save: false}})""", [site.url("coffee.jpg"), demo_page.url])
    assert cut["ok"], cut
    origin.hotlink_referrers.clear()
    reply = extension_page.evaluate("""async ([cutoutUrl, photoUrl, pageUrl]) => chrome.runtime.sendMessage({
        target: 'background', type: 'export-cutout',
        payload: {cutoutUrl, photoUrl, pageUrl, options: {background: 'blur', format: 'jpeg'}}})""",
                                    [cut["result"]["previewUrl"], url, demo_page.url])
    assert reply["ok"], reply
    assert reply["result"]["mime"] == "image/jpeg"
    assert origin.hotlink_referrers == [None, demo_page.url]  # refused without a Referer, then read as the page reads it


# The cutout as the results page hands it over: a blob: URL of its own, which outlives the engine's document.
EXPORT_OWN_COPY = """async ([png, options]) => {
  const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
  const cutoutUrl = URL.createObjectURL(new Blob([bytes], {type: 'image/png'}));
  return chrome.runtime.sendMessage({target: 'background', type: 'export-cutout', payload: {cutoutUrl, options}});
}"""
# The engine as it is, asked of the document directly: get-status through the service worker opens the model.
PEEK_ENGINE = """() => chrome.runtime.sendMessage({target: 'offscreen', type: 'get-status',
  payload: {openModel: false}})"""


def test_an_engine_started_for_an_export_opens_its_model_only_for_a_cutout(extension, extension_page, site, cut):
    """An export runs no network: a document opened for one (the results page after the idle close) does
    not read and open the model's graph; the first cutout on that engine opens it."""
    _, _, png = cut
    extension.close_offscreen()
    options = {"background": "#ffffff", "crop": None, "format": "png", "maxSize": 120, "onlyMask": False}
    exported = extension_page.evaluate(EXPORT_OWN_COPY, [base64.b64encode(png).decode(), options])
    assert exported["ok"], exported
    assert exported["result"]["width"] == 120
    idle = extension_page.evaluate(PEEK_ENGINE)
    assert idle["ok"], idle
    assert (idle["result"]["modelOpen"], idle["result"]["enginesStarted"]) == (False, 1), idle["result"]
    assert "open-model" not in idle["result"]["bootTimings"]

    again = extension_page.evaluate(CUT_AND_READ, site.url("coffee.jpg"))
    assert again["ok"], again
    assert base64.b64decode(again["png"]) == png  # the same model, opened now
    after = extension_page.evaluate(PEEK_ENGINE)["result"]
    assert (after["modelOpen"], after["enginesStarted"]) == (True, 1), after
