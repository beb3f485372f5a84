"""A fresh install works at once with the fast model, and the popup offers the
best-quality one — what it is, its size, licence and source — downloading
nothing until the user says yes; "not now" is kept; after Download, progress,
then the next image is cut out by the best model."""

from __future__ import annotations

import re
import time

import pytest

from extension_browser import launch_extension, shipped_manifest

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
    network = shipped_manifest()["network"]
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


def test_a_right_click_user_is_offered_the_best_model_on_a_notification(playwright, tmp_path, site):
    """No popup opened: after a fast-model cutout from the menu, a notification offers the best model
    (size, licence, host); Not now holds, Download installs it and says so."""
    network = shipped_manifest()["network"]
    with launch_extension(playwright, tmp_path / "profile", best_model=False) as browser:
        page = browser.context.new_page()
        page.goto(f"{site.page_origin.base}/index.html?other={site.image_origin.base}")
        src = page.eval_on_selector("#cross-origin", "img => img.src")
        notices = "() => chrome.notifications.getAll()"
        assert browser.worker.evaluate(notices) == {}

        def right_click() -> dict:
            reply = browser.click_menu(src, page.url, browser.tab_id(page))
            assert reply["ok"] and reply["result"]["model"] == "u2netp", reply
            browser.wait_for_download(reply["result"]["filename"]).unlink()
            return reply

        right_click()
        offered = wait_until(lambda: browser.worker.evaluate("() => self.offcut.lastOffer()"), 10, "the offer")
        assert browser.worker.evaluate(notices) == {"offcut-best-model": True}
        assert f"{network['bytes'] / 1e6:.1f} MB" in offered["message"] and "Apache-2.0" in offered["message"]
        assert [b["title"] for b in offered["buttons"]] == ["Download", "Use the fast model for now"]

        # Not now: the offer goes and is not made again this session.
        assert browser.worker.evaluate("() => self.offcut.answerModelOffer(1)") == {"downloaded": False}
        assert browser.worker.evaluate(notices) == {}
        right_click()
        time.sleep(1)  # an offer would be there by now
        assert browser.worker.evaluate(notices) == {}

        # Download (the button of an offer still on screen): stored, said, and the next image uses it.
        assert browser.worker.evaluate("() => self.offcut.answerModelOffer(0)") == {"downloaded": True}
        models = browser.worker.evaluate("() => self.offcut.listModels()")["models"]
        assert models[0]["status"] == "stored" and models[0]["default"], models
        reply = browser.click_menu(src, page.url, browser.tab_id(page))
        assert reply["ok"] and reply["result"]["model"] == models[0]["id"], reply
