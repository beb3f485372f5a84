"""The options page: every model with its size, licence, source and status;
Download and Remove; storage used; the model right-click and the popup use (a
setting, and per image the menu's "Remove background with"); the download
source setting, validated — axe-clean, in light and dark."""

from __future__ import annotations

import json
import time

import pytest

from extension_browser import DIST, launch_extension, shipped_manifest

from ._axe import audit
from ._site import data_url
from .test_model_download import ask

pytestmark = pytest.mark.browser


def wait_for_text(page, selector: str, fragment: str, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while fragment not in (text := page.inner_text(selector)):
        assert time.monotonic() < deadline, f"{selector} says {text!r}, never {fragment!r}"
        time.sleep(0.1)
    return text


def rows(page) -> list[list[str]]:
    return page.eval_on_selector_all("#models tbody tr", "trs => trs.map((tr) => [...tr.cells].map((c) => c.innerText))")


def test_models_are_listed_downloaded_removed_and_the_source_is_validated(playwright, tmp_path, site):
    best = shipped_manifest()
    fast = shipped_manifest("u2netp")
    manifest = json.loads((DIST / "manifest.json").read_text())
    assert manifest["options_ui"] == {"page": "options.html", "open_in_tab": True}
    with launch_extension(playwright, tmp_path / "profile", best_model=False) as browser:
        page = browser.context.new_page()
        page.goto(browser.url("options.html"))
        wait_for_text(page, "#right-click-model", fast["title"])
        image = {"url": data_url(site.files["coffee-alpha.png"])}

        def cut_out(**choice) -> str:
            reply = browser.send(page, {**image, **choice})
            assert reply["ok"], reply
            browser.wait_for_download(reply["result"]["filename"]).unlink()
            return reply["result"]["model"]

        # Not downloaded: it cannot be the default, and an image asking for it is told its size.
        assert page.eval_on_selector(f"#default-model option[value='{best['model']}']", "o => o.disabled")
        refused = browser.send(page, {**image, "model": best["model"]})
        assert refused["ok"] is False and refused["error"]["code"] == "model-not-installed", refused
        assert refused["error"]["words"] == {"key": "errorModelNotInstalled",
                                             "params": [best["title"], f"{best['network']['bytes'] / 1e6:.1f}"]}
        setting = ask(page, "default-model", {"model": best["model"]})
        assert setting["ok"] is False and setting["error"]["code"] == "model-not-installed", setting
        # Every catalog row, best quality first; ISNet alone is made from the default's download.
        (best_row, isnet_row, small_row, fast_row) = rows(page)
        assert best_row[0].startswith(best["title"]) and f"{best['network']['bytes'] / 1e6:.1f} MB" == best_row[1]
        assert "@imgly/background-removal-data@1.4.5" in best_row[2] and "Apache-2.0" in best_row[2]
        assert best_row[3] == "Not downloaded" and best_row[4] == "Download"
        assert f"One download with: {shipped_manifest('isnet')['title']}." in best_row[0]
        assert isnet_row[1] == best_row[1] and f"One download with: {best['title']}." in isnet_row[0]
        small = shipped_manifest("isnet-quint8")
        assert small_row[0].startswith(small["title"]) and small_row[1] == f"{small['network']['bytes'] / 1e6:.1f} MB"
        assert small_row[3] == "Not downloaded" and "One download" not in small_row[0]
        assert fast_row[3] == "In the extension" and fast_row[4] == ""
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            assert audit(page) == [], scheme

        page.get_by_role("button", name=f"Download: {best['title']}").click()
        wait_for_text(page, "#models-status", "is ready")
        wait_for_text(page, "#right-click-model", best["title"])
        assert rows(page)[0][3] == "Downloaded, on this device" and rows(page)[0][4] == "Remove"
        assert [row[3] for row in rows(page)[1:]] == ["Downloaded, on this device", "Not downloaded", "In the extension"]
        used = float(page.inner_text("#storage-used").split(": ")[1].split(" MB")[0])
        assert used >= best["network"]["bytes"] / 1e6

        # The default: automatic (the best one now), or the user's choice; per image, the menu's choice.
        assert cut_out() == best["model"]
        page.select_option("#default-model", fast["model"])
        wait_for_text(page, "#right-click-model", fast["title"])
        assert ask(page, "default-model")["result"] == {"model": fast["model"], "effective": fast["model"]}
        assert cut_out() == fast["model"]
        assert cut_out(model=best["model"]) == best["model"]
        tab = browser.tab_id(page)
        # The fast model chosen on purpose, the best one downloaded: no "download the best model" tip.
        menu = browser.click_menu(image["url"], page.url, tab)
        assert menu["ok"] and menu["result"]["model"] == fast["model"], menu
        browser.wait_for_download(menu["result"]["filename"]).unlink()
        title = browser.worker.evaluate("() => chrome.action.getTitle({})")
        assert title == f"Offcut: saved {menu['result']['filename']}", title
        menu = browser.click_menu(image["url"], page.url, tab, item=f"offcut-remove-background-with:{best['model']}")
        assert menu["ok"] and menu["result"]["model"] == best["model"], menu
        browser.wait_for_download(menu["result"]["filename"]).unlink()
        page.reload()
        wait_for_text(page, "#right-click-model", fast["title"])  # rendered (the choice before the text)
        assert page.input_value("#default-model") == fast["model"], "the setting was not kept"
        page.select_option("#default-model", "")
        wait_for_text(page, "#right-click-model", best["title"])
        assert cut_out() == best["model"]

        page.get_by_role("button", name=f"Remove: {best['title']}").click()
        wait_for_text(page, "#models-status", f"and with it {shipped_manifest('isnet')['title']} (one download)")
        assert [row[3] for row in rows(page)[:2]] == ["Not downloaded", "Not downloaded"]
        wait_for_text(page, "#right-click-model", fast["title"])

        # The source: refused unless https (or http on this machine), saved and restored.
        mirror = page.input_value("#source-url")
        assert mirror.startswith("http://127.0.0.1:")
        page.fill("#source-url", "http://models.example.org/npm/")
        page.click("#source-form button[type=submit]")
        wait_for_text(page, "#source-status", "must be an https://")
        assert page.input_value("#source-url") == "http://models.example.org/npm/"
        page.fill("#source-url", "https://models.example.org/npm")
        page.click("#source-form button[type=submit]")
        wait_for_text(page, "#source-status", "https://models.example.org/npm/")
        page.click("#source-reset")
        wait_for_text(page, "#source-status", "https://cdn.jsdelivr.net/npm/")
        assert audit(page) == []
