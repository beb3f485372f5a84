"""A fresh install works at once with the fast model, and the popup offers the
best-quality one — what it is, its size, licence and source — downloading
nothing until the user says yes; "not now" is kept; after Download, progress,
then the next image is cut out by the best model."""

from __future__ import annotations

import json
import re
import time

import pytest

from extension_browser import DIST, launch_extension

from ._axe import audit

pytestmark = pytest.mark.browser


def wait_until(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not (value := check()):
        assert time.monotonic() < deadline, f"timed out: {what}"
        time.sleep(0.1)
    return value


def cut_out(page, path) -> str:
    """Choose a file in the popup; the cutout's caption once it is shown."""
    page.set_input_files("#file-input", str(path))
    page.wait_for_selector("#result:not([hidden])", timeout=120_000)
    return page.inner_text("#cutout-caption")


def test_the_fast_model_works_at_once_and_the_best_is_downloaded_only_on_yes(playwright, tmp_path, site):
    network = json.loads((DIST / "models" / "default.json").read_text())["network"]
    with launch_extension(playwright, tmp_path / "profile", best_model=False) as browser:
        page = browser.context.new_page()
        page.goto(browser.url("popup.html"))
        offer = page.locator("#model-offer")
        offer.wait_for(state="visible", timeout=30_000)
        text = page.inner_text("#model-offer-text")
        assert f"{network['bytes'] / 1e6:.1f} MB" in text and "Apache-2.0" in text and "127.0.0.1" in text, text
        assert audit(page) == []

        # Not now: the offer goes and stays gone; the fast model cuts out, and says so.
        page.click("#model-later")
        assert offer.is_hidden()
        assert "fast model" in cut_out(page, site.files["coffee-alpha.png"])
        title = "() => chrome.action.getTitle({})"
        assert "fast model" in browser.worker.evaluate(title)  # what a right-click user sees on the toolbar
        page.reload()
        time.sleep(1)  # the offer would be back by now
        assert offer.is_hidden()
        records = browser.worker.evaluate("""() => new Promise((resolve) => {
          const open = indexedDB.open('offcut-models');
          open.onsuccess = () => { const db = open.result;
            if (!db.objectStoreNames.contains('files')) { db.close(); resolve(0); return; }
            const count = db.transaction('files').objectStore('files').count();
            count.onsuccess = () => { db.close(); resolve(count.result); }; };
        })""")
        assert records == 0, "something was downloaded without a yes"

        # Yes: progress, then ready; the next image is the best model's.
        page.evaluate("() => chrome.storage.session.clear()")
        page.reload()
        offer.wait_for(state="visible", timeout=30_000)
        page.click("#model-download")
        status = wait_until(lambda: re.search(r"is ready", page.inner_text("#model-status")) and
                            page.inner_text("#model-status"), 120, "the download to finish")
        assert status.startswith("ISNet"), status
        assert audit(page) == []
        wait_until(lambda: (c := cut_out(page, site.files["coffee-alpha.png"])) and
                             "fast model" not in c and c, 60, "a cutout by the best model")
        assert "fast model" not in browser.worker.evaluate(title)
        page.reload()
        time.sleep(1)
        assert offer.is_hidden(), "the offer is back although the model is stored"
