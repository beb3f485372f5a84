"""A browser in German gets Offcut in German: every translated string of the
popup, its attributes and the page language; no English where a translation exists."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from extension_browser import launch_extension
from offcut.catalog import CATALOG, TRANSLATIONS

from ._axe import audit

pytestmark = pytest.mark.browser

GERMAN = json.loads((Path(__file__).resolve().parents[2] / "extension" / "_locales" / "de" / "messages.json").read_text())


SHOWN = """() => ({
    lang: document.documentElement.lang,
    texts: [...document.querySelectorAll('[data-i18n]')].map((e) => [e.dataset.i18n, e.textContent]),
    attrs: [...document.querySelectorAll('[data-i18n-attrs]')].flatMap((e) => e.dataset.i18nAttrs.split(',')
        .map((pair) => pair.split(':')).map(([attr, key]) => [key, e.getAttribute(attr)])),
})"""


def _expect_german(page) -> None:
    """Every marked text and attribute of ``page`` in German, and the page's language."""
    shown = page.evaluate(SHOWN)
    assert shown["lang"] == "de"
    assert shown["texts"] and shown["attrs"]
    for key, text in shown["texts"] + shown["attrs"]:
        assert text == GERMAN[key]["message"], (key, text)


def test_the_popup_speaks_the_browsers_language(playwright, tmp_path, site):
    with launch_extension(playwright, tmp_path / "profile", extra_args=("--lang=de",)) as browser:
        page = browser.context.new_page()
        page.goto(browser.url("popup.html"))
        _expect_german(page)
        page.set_input_files("#file-input", str(site.files["notes.txt"]))
        assert page.inner_text("#status") == "notes.txt ist kein Bild."
        assert audit(page) == []

        # The engine's refusals too (they start in its worker, which has no chrome.i18n:
        # the failure carries its _locales key to the popup): a web page saved as .png.
        disguised = tmp_path / "photo.png"
        disguised.write_text("<!doctype html><title>not a photo</title>")
        page.set_input_files("#file-input", str(disguised))
        expected = GERMAN["errorWebPage"]["message"]
        deadline = time.monotonic() + 60
        while page.inner_text("#status") != expected:
            assert time.monotonic() < deadline, f"status is {page.inner_text('#status')!r}, never {expected!r}"
            time.sleep(0.2)

        # The results page too, with its list's own words (a broken file among them: its error in German).
        results = browser.context.new_page()
        results.goto(browser.url("results.html"))
        _expect_german(results)
        results.set_input_files("#file-input", [str(site.files["notes.txt"])])
        assert results.inner_text("#queue .item .state") == "notes.txt ist kein Bild."
        assert results.inner_text("#summary") == "0 von 1 fertig, 1 fehlgeschlagen, 0 ausstehend."
        assert audit(results) == []

        # The options page names every model in German too (catalog.TRANSLATIONS, through the build's manifests).
        options = browser.context.new_page()
        options.goto(browser.url("options.html"))
        names = ".cells[0].firstChild.textContent"
        expected_titles = [TRANSLATIONS["de"][model_id][0] for model_id in CATALOG]
        deadline = time.monotonic() + 30
        while (titles := options.eval_on_selector_all("#models tbody tr", f"trs => trs.map((tr) => tr{names})")) \
                != expected_titles:
            assert time.monotonic() < deadline, f"the options page lists {titles}, never {expected_titles}"
            time.sleep(0.2)
        description = options.eval_on_selector("#models tbody tr:last-child small", "e => e.textContent")
        assert description == TRANSLATIONS["de"]["u2netp"][1], description
