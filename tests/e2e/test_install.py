"""dist/ loads as an unpacked extension with no errors or warnings on chrome://extensions."""

from __future__ import annotations

import json

import pytest

from ._browser import DIST

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
    assert info["name"] == manifest["name"] and info["version"] == manifest["version"]
    assert info["iconUrl"].startswith(f"chrome://extension-icon/{extension.extension_id}/")
