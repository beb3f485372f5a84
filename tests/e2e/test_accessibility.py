"""The popup, audited by a real accessibility engine (axe-core, WCAG 2.x A/AA
rules) in every state a person sees, in light and dark mode; keyboard use."""

from __future__ import annotations

import time

import pytest

from ._axe import audit as _audit

pytestmark = pytest.mark.browser


def _wait_for_status(page, prefix: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not page.inner_text("#status").startswith(prefix):
        assert time.monotonic() < deadline, f"status is {page.inner_text('#status')!r}, never {prefix!r}…"
        time.sleep(0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_popup_has_no_violations_in_any_state(extension, site, scheme):
    page = extension.context.new_page()
    try:
        page.emulate_media(color_scheme=scheme)
        page.goto(extension.url("popup.html"))
        assert _audit(page) == [], "fresh popup"
        page.set_input_files("#file-input", str(site.files["coffee-12mp.jpg"]))
        page.wait_for_selector("#working:not([hidden])")
        assert _audit(page) == [], "while working"
        _wait_for_status(page, "Done in ")
        assert _audit(page) == [], "with a result"
        page.set_input_files("#file-input", str(site.files["notes.txt"]))
        assert "error" in page.get_attribute("#status", "class")
        assert _audit(page) == [], "with an error"
    finally:
        page.close()


def test_the_popup_works_from_the_keyboard(extension, site):
    page = extension.context.new_page()
    try:
        page.goto(extension.url("popup.html"))
        page.bring_to_front()
        # Tab reaches the drop zone (Enter or Space opens the chooser there) and the setting.
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.id") == "drop-zone"
        choosers = []
        page.on("filechooser", lambda chooser: choosers.append(chooser))  # intercepted from now on (set up before the key, not racing it)
        page.evaluate("() => new Promise(requestAnimationFrame)")
        page.keyboard.press("Enter")
        deadline = time.monotonic() + 10
        while not choosers and time.monotonic() < deadline:
            page.wait_for_timeout(50)
        assert choosers, "Enter on the drop zone did not open the file chooser"
        choosers[0].set_files(site.files["coffee-small.png"])
        _wait_for_status(page, "Done in ")
        page.keyboard.press("Control+s")
        saved = extension.wait_for_download("coffee-small-nobg.png")
        saved.unlink()
        _wait_for_status(page, "Saved coffee-small-nobg.png", timeout=10)
        page.keyboard.press("Control+c")
        _wait_for_status(page, "Copied", timeout=10)
        # Esc stops an image being worked on.
        page.set_input_files("#file-input", str(site.files["coffee-12mp.jpg"]))
        page.wait_for_selector("#working:not([hidden])")
        page.keyboard.press("Escape")
        _wait_for_status(page, "Cancelled.", timeout=30)
    finally:
        page.close()


def test_a_keyboard_shortcut_opens_the_popup(extension):
    commands = extension.worker.evaluate("() => chrome.commands.getAll()")
    action = next(c for c in commands if c["name"] == "_execute_action")
    assert action["shortcut"] == "Alt+Shift+O", action
