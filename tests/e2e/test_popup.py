"""The popup: a real paste (Ctrl+V) and a drop, each ending in a preview and a saved file; Copy."""

from __future__ import annotations

import base64
import io
import time

import numpy as np
import pytest
from PIL import Image

from ._clipboard import paste_into_a_web_page
from .conftest import read_png

pytestmark = pytest.mark.browser


@pytest.fixture()
def popup(extension):
    page = extension.context.new_page()
    page.goto(extension.url("popup.html"))
    page.bring_to_front()
    yield page
    page.close()


def _expect_preview_and_file(extension, page, filename, size) -> np.ndarray:
    """The default: a preview, no file until Save PNG is pressed; then the file."""
    _expect_preview(page, size)
    assert page.inner_text("#status").startswith("Done in ")
    time.sleep(0.5)  # a file saved unasked would be on disk by now
    assert not (extension.downloads / filename).exists(), "saved without being asked (save automatically is off)"
    page.click("#save-button")
    return _read_saved(extension, page, filename, size)


def _expect_preview(page, size) -> None:
    # The job ends in a preview or in a message (the progress row hides): a
    # failure is reported with the popup's own words, not as a timeout.
    page.wait_for_selector("#result:not([hidden]), #working[hidden]", state="attached", timeout=120_000)
    assert page.is_visible("#result"), f"no preview; the popup says: {page.inner_text('#status')!r}"
    natural = page.eval_on_selector("#cutout", "img => img.decode().then(() => [img.naturalWidth, img.naturalHeight])")
    assert natural == list(size)
    assert page.eval_on_selector("#cutout", "img => img.getBoundingClientRect().width") > 0, "preview not visible"


def _read_saved(extension, page, filename, size) -> np.ndarray:
    saved = extension.wait_for_download(filename)
    try:
        cutout = read_png(saved)
    finally:
        saved.unlink()
    assert cutout.shape == (size[1], size[0], 4)
    deadline = time.monotonic() + 10
    while not page.inner_text("#status").startswith(f"Saved {filename}") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert page.inner_text("#status").startswith(f"Saved {filename}")
    assert page.is_hidden("#save-button"), "Save PNG still offered for a saved cutout"
    return cutout


def test_save_automatically_is_a_setting_kept_across_popups(extension, popup, site):
    popup.check("#save-automatically")
    try:
        again = extension.context.new_page()
        again.goto(extension.url("popup.html"))
        deadline = time.monotonic() + 5
        while not again.is_checked("#save-automatically") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert again.is_checked("#save-automatically"), "the setting was not kept"
        again.set_input_files("#file-input", str(site.files["coffee-small.png"]))
        _expect_preview(again, (300, 200))
        _read_saved(extension, again, "coffee-small-nobg.png", (300, 200))  # no click: saved at once
        again.close()
    finally:
        popup.uncheck("#save-automatically")


def test_paste_from_clipboard(extension, popup, site):
    png = base64.b64encode(site.files["coffee-alpha.png"].read_bytes()).decode()
    popup.evaluate(
        """async (b64) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            await navigator.clipboard.write([new ClipboardItem({"image/png": new Blob([bytes], {type: "image/png"})})]);
        }""",
        png,
    )
    popup.keyboard.press("Control+V")
    saved = _expect_preview_and_file(extension, popup, "image-nobg.png", (600, 400))

    # "Copy" puts the same cutout on the clipboard, transparency included.
    popup.click("#copy-button")
    popup.wait_for_function("() => document.querySelector('#status').innerText.startsWith('Copied')")
    copied_b64 = paste_into_a_web_page(extension, site)
    with Image.open(io.BytesIO(base64.b64decode(copied_b64))) as image:
        copied = np.array(image.convert("RGBA"))
    # The clipboard re-encodes images (premultiplied on the way), so compare the
    # matte exactly and the colour where the cutout is opaque.
    assert copied.shape == saved.shape
    np.testing.assert_array_equal(copied[..., 3], saved[..., 3])
    opaque = saved[..., 3] == 255
    assert np.abs(copied[..., :3][opaque].astype(int) - saved[..., :3][opaque]).max() <= 1


def test_drop_a_file(extension, popup, site):
    data = base64.b64encode(site.files["coffee.jpg"].read_bytes()).decode()
    transfer = popup.evaluate_handle(
        """(b64) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "holiday photo.jpg", {type: "image/jpeg"}));
            return transfer;
        }""",
        data,
    )
    popup.dispatch_event("#drop-zone", "drop", {"dataTransfer": transfer})
    _expect_preview_and_file(extension, popup, "holiday photo-nobg.png", (600, 400))


def test_choose_a_file_twice(extension, popup, site):
    """The file chooser, as a person clicks it; the same file chosen again runs again."""
    for _ in range(2):
        with popup.expect_file_chooser() as chooser:
            popup.click("#drop-zone")
        chooser.value.set_files(site.files["coffee.jpg"])
        _expect_preview_and_file(extension, popup, "coffee-nobg.png", (600, 400))


def test_dropping_a_non_image_says_so(popup):
    transfer = popup.evaluate_handle(
        "() => { const t = new DataTransfer(); t.items.add(new File(['hi'], 'notes.txt', {type: 'text/plain'})); return t; }"
    )
    popup.dispatch_event("#drop-zone", "drop", {"dataTransfer": transfer})
    assert popup.inner_text("#status") == "notes.txt is not an image."
    assert "error" in popup.get_attribute("#status", "class")


def test_nothing_of_a_result_shows_before_there_is_one(extension, popup, site):
    """A fresh popup, then while a chosen file runs: no broken preview, no Save or Copy to press."""
    def shown(selector):
        return popup.eval_on_selector(selector, "e => e.getClientRects().length > 0")

    assert not shown("#result") and not shown("#copy-button")
    popup.set_input_files("#file-input", str(site.files["coffee-12mp.jpg"]))
    popup.wait_for_selector("#working:not([hidden])")
    assert not shown("#result") and not shown("#cutout") and not shown("#copy-button")
    _expect_preview_and_file(extension, popup, "coffee-12mp-nobg.png", (4240, 2830))
    assert shown("#copy-button")
