"""The popup: a real paste (Ctrl+V) and a drop, each ending in a preview and a saved file."""

from __future__ import annotations

import base64

import pytest

from .conftest import read_png

pytestmark = pytest.mark.browser


@pytest.fixture()
def popup(extension):
    page = extension.context.new_page()
    page.goto(extension.url("popup.html"))
    page.bring_to_front()
    yield page
    page.close()


def _expect_preview_and_file(extension, page, filename, size):
    page.wait_for_selector("#result:not([hidden])", timeout=120_000)
    natural = page.eval_on_selector("#cutout", "img => img.decode().then(() => [img.naturalWidth, img.naturalHeight])")
    assert natural == list(size)
    assert page.eval_on_selector("#cutout", "img => img.getBoundingClientRect().width") > 0, "preview not visible"
    assert page.inner_text("#status").startswith(f"Saved {filename} ")
    saved = extension.wait_for_download(filename)
    try:
        assert read_png(saved).shape == (size[1], size[0], 4)
    finally:
        saved.unlink()


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
    _expect_preview_and_file(extension, popup, "image-nobg.png", (600, 400))


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


def test_dropping_a_non_image_says_so(popup):
    transfer = popup.evaluate_handle(
        "() => { const t = new DataTransfer(); t.items.add(new File(['hi'], 'notes.txt', {type: 'text/plain'})); return t; }"
    )
    popup.dispatch_event("#drop-zone", "drop", {"dataTransfer": transfer})
    assert popup.inner_text("#status") == "notes.txt is not an image."
    assert "error" in popup.get_attribute("#status", "class")
