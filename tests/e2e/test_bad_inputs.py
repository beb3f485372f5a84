"""Bad inputs: each gives its own clear error, and the next good request still succeeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ._site import data_url
from .conftest import read_png

pytestmark = pytest.mark.browser

ENGLISH = json.loads((Path(__file__).resolve().parents[2] / "extension" / "_locales" / "en" / "messages.json").read_text())

BAD_INPUTS = [
    # (a path on the test site, or an absolute URL; expected code; words the message must contain)
    ("missing.jpg", "fetch-failed", "HTTP 404"),
    ("not-an-image.png", "not-an-image", "not an image"),
    ("corrupt.jpg", "bad-image", "could not be decoded"),
    ("tiny.png", "bad-image", "1×1"),
    ("empty.png", "not-an-image", "empty (0 bytes)"),
    ("huge-header.png", "bad-image", "60000×60000 is 3600 MP"),  # refused from the header, nothing decoded
    ("dropped.jpg", "fetch-failed", "Could not download the image"),  # the body fails, not the request
    ("status/500", "fetch-failed", "HTTP 500"),
    ("notes.txt", "not-an-image", "not an image Offcut can read"),
    ("truncated.png", "bad-image", "could not be decoded"),
    ("truncated.jpg", "bad-image", "could not be decoded"),
    ("seven.png", "bad-image", "7×7"),
    ("photo.tiff", "not-an-image", "TIFF"),
    ("drawing.svg", "not-an-image", "SVG drawing"),
    ("javascript:alert(1)", "bad-request", "not javascript: URLs"),
    ("chrome://settings/", "bad-request", "not chrome: URLs"),
    ("chrome-extension://abcdefghijklmnopabcdefghijklmnop/photo.png", "bad-request", "not chrome-extension: URLs"),
    ("data:text/html,<p>hi</p>", "bad-request", "must hold an image"),
    ("blob:https://example.com/0b6f3c1e-7a52-4a8e-9d3f-2c1b0a9e8d7c", "bad-request", "only its own blob: URLs"),
]


@pytest.mark.parametrize("name, code, words", BAD_INPUTS, ids=[b[1] + ":" + b[0][:40] for b in BAD_INPUTS])
def test_bad_input_then_good_one(extension, extension_page, site, name, code, words):
    url = name if ":" in name.split("/")[0] else site.url(name)
    reply = extension.send(extension_page, {"url": url})
    error = reply["error"]
    assert reply == {"ok": False, "error": error} and error["code"] == code and set(error) <= {"code", "message", "words"}
    assert words in error["message"]
    if code != "bad-request":  # a user's failure comes with its words in _locales, for the page that shows it
        assert error["words"]["key"] in ENGLISH and all(isinstance(p, str) for p in error["words"]["params"]), error
    # The queue is not stalled: a good image right after works.
    good = extension.send(extension_page, {"url": data_url(site.files["coffee-alpha.png"])})
    assert good["ok"], good
    saved = extension.wait_for_download(good["result"]["filename"])
    assert read_png(saved).shape == (400, 600, 4)
    saved.unlink()


@pytest.mark.parametrize("payload", [{}, {"url": ""}, {"url": "file:///etc/passwd"}, {"url": "not a url"}])
def test_malformed_request_is_refused(extension, extension_page, payload):
    reply = extension.send(extension_page, payload)
    assert not reply["ok"] and reply["error"]["code"] == "bad-request", reply


def test_unknown_request_type_is_answered(extension, extension_page):
    reply = extension_page.evaluate(
        "() => chrome.runtime.sendMessage({target: 'background', type: 'remove-everything', payload: {}})")
    assert reply == {"ok": False, "error": {"code": "bad-request",
                                            "message": 'background has no request type "remove-everything"'}}


def test_an_image_replaced_at_its_url_is_cut_out_as_it_is_now(extension, extension_page, site):
    """The server says no-cache and sends another photo the second time: no stale cutout."""
    sizes = []
    for _ in range(2):
        reply = extension.send(extension_page, {"url": site.url("latest.png")})
        assert reply["ok"], reply
        sizes.append((reply["result"]["width"], reply["result"]["height"]))
        extension.wait_for_download(reply["result"]["filename"]).unlink()
    assert sizes == [(600, 400), (300, 200)]


def test_a_stalled_server_is_given_up_while_a_slow_one_is_waited_for(extension, extension_page, site):
    extension.worker.evaluate("() => self.offcut.setFetchStallMs(2000)")
    try:
        stalled = extension.send(extension_page, {"url": site.url("stalled.jpg")})  # 1000 bytes, then 6 s of nothing
        assert stalled["ok"] is False and stalled["error"]["code"] == "fetch-failed", stalled
        assert "sent nothing for 2 s" in stalled["error"]["message"]
        slow = extension.send(extension_page, {"url": site.url("trickle.jpg")})  # a tenth every 0.5 s, 5 s in all
        assert slow["ok"], slow
        extension.wait_for_download(slow["result"]["filename"]).unlink()
    finally:
        extension.worker.evaluate("() => self.offcut.setFetchStallMs(0)")
