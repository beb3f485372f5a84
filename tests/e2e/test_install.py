"""dist/ loads as an unpacked extension with no errors or warnings on chrome://extensions."""

from __future__ import annotations

import base64
import io
import json

import numpy as np
import pytest
from PIL import Image

from extension_browser import DIST

pytestmark = pytest.mark.browser


def test_extensions_page_shows_no_errors_or_warnings(extension):
    page = extension.context.new_page()
    try:
        page.goto("chrome://extensions")
        info = page.evaluate(
            "(id) => new Promise((resolve) => chrome.developerPrivate.getExtensionInfo(id, resolve))",
            extension.extension_id,
        )
    finally:
        page.close()
    assert info["state"] == "ENABLED"
    assert info["installWarnings"] == [], info["installWarnings"]  # e.g. "Unrecognized manifest key"
    assert info["manifestErrors"] == [], info["manifestErrors"]
    manifest = json.loads((DIST / "manifest.json").read_text())
    # The name is a message (__MSG_extensionName__), shown in the browser's language (English here).
    english = json.loads((DIST / "_locales" / "en" / "messages.json").read_text())
    assert manifest["name"] == "__MSG_extensionName__"
    assert info["name"] == english["extensionName"]["message"] and info["version"] == manifest["version"]
    # Chromium hands the icon it will show as a data: URL; a missing or broken icon
    # would be its generic puzzle piece instead of ours.
    header, _, encoded = info["iconUrl"].partition(",")
    assert header == "data:image/png;base64", header
    shown = np.asarray(Image.open(io.BytesIO(base64.b64decode(encoded))).convert("RGBA"), np.int16)
    ours = np.asarray(Image.open(DIST / manifest["icons"]["48"]).convert("RGBA"), np.int16)
    assert shown.shape == ours.shape
    assert np.abs(shown - ours).mean() < 2
