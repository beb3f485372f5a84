"""Right-click → "Remove background" → a transparent PNG in the downloads folder."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from PIL import Image

from ._site import data_url
from .conftest import read_png

pytestmark = pytest.mark.browser

CORNER = 12  # px: the corner patches that must be background


def _corner_means(alpha: np.ndarray) -> list[float]:
    c = CORNER
    return [float(p.mean()) for p in (alpha[:c, :c], alpha[:c, -c:], alpha[-c:, :c], alpha[-c:, -c:])]


def _assert_cutout(saved, source, native_alpha, artifacts_dir, corners=(0, 1, 2, 3)) -> np.ndarray:
    out = read_png(saved)
    with Image.open(source) as src:
        assert (out.shape[1], out.shape[0]) == src.size, "cutout is not the source's pixel size"
    alpha = out[..., 3]
    h, w = alpha.shape
    reference = native_alpha(source)
    difference = float(np.abs(alpha.astype(np.int16) - reference).mean())
    if difference > 2:
        Image.fromarray(out).save(artifacts_dir / f"e2e-{saved.stem}.png")
    assert difference <= 2, f"mean alpha differs from the native CLI by {difference:.2f}/255"
    assert ((alpha > 0) & (alpha < 255)).mean() > 0.001, "no soft alpha: edges were thresholded"
    means = _corner_means(alpha)
    assert all(means[i] < 8 for i in corners), f"background corners are not transparent: {means}"
    centre = alpha[h // 2 - h // 20 : h // 2 + h // 20, w // 2 - w // 20 : w // 2 + w // 20]
    assert centre.mean() > 250, f"subject is not opaque (centre alpha {centre.mean():.1f})"
    return out


@pytest.mark.parametrize("image_id, name", [("cross-origin", "coffee.jpg"), ("large", "coffee-12mp.jpg")])
def test_http_image(extension, site, demo_page, native_alpha, artifacts_dir, image_id, name):
    src = demo_page.eval_on_selector(f"#{image_id}", "img => img.src")
    assert src.startswith("http://127.0.0.1:")
    reply = extension.click_menu(src, demo_page.url, extension.tab_id(demo_page))
    assert reply["ok"], reply
    result = reply["result"]
    assert result["filename"] == name.replace(".jpg", "-nobg.png")
    assert result["backend"] == "onnxruntime-web-wasm" and result["threads"] >= 1
    saved = extension.wait_for_download(result["filename"])
    try:
        _assert_cutout(saved, site.files[name], native_alpha, artifacts_dir)
    finally:
        saved.unlink()


def test_data_url_keeps_colour_under_transparency(extension, site, demo_page, native_alpha, artifacts_dir):
    source = site.files["coffee-alpha.png"]
    reply = extension.click_menu(data_url(source), demo_page.url, extension.tab_id(demo_page))
    assert reply["ok"], reply
    assert reply["result"]["filename"] == "image-nobg.png"
    saved = extension.wait_for_download("image-nobg.png")
    try:
        out = _assert_cutout(saved, source, native_alpha, artifacts_dir)
    finally:
        saved.unlink()
    src = np.array(Image.open(source))
    # The source's alpha-0 border: RGB must survive (no canvas premultiplication).
    assert (out[:12, ..., 3] == 0).all()
    assert np.array_equal(out[:12, ..., :3], src[:12, ..., :3])


def test_page_blob_image(extension, site, demo_page, native_alpha, artifacts_dir):
    src = demo_page.eval_on_selector("#blob", "img => img.src")
    assert src.startswith(f"blob:{site.page_origin.base}/")
    reply = extension.click_menu(src, demo_page.url, extension.tab_id(demo_page))
    assert reply["ok"], reply
    saved = extension.wait_for_download(reply["result"]["filename"])
    try:
        # The bottom corners are the suit and the helmet, not background.
        _assert_cutout(saved, site.files["astronaut.png"], native_alpha, artifacts_dir, corners=(0, 1))
    finally:
        saved.unlink()


def test_a_fully_transparent_image_gives_a_transparent_cutout(extension, extension_page, tmp_path):
    """Nothing soft to decontaminate (the graph gathers zero pixels): still a clean result."""
    rgba = np.zeros((48, 64, 4), np.uint8)
    rgba[..., :3] = (40, 160, 90)  # a colour under alpha 0, which must survive
    source = tmp_path / "invisible.png"
    Image.fromarray(rgba, "RGBA").save(source)
    reply = extension.send(extension_page, {"url": data_url(source)})
    assert reply["ok"], reply
    saved = extension.wait_for_download(reply["result"]["filename"])
    try:
        np.testing.assert_array_equal(read_png(saved), rgba)
    finally:
        saved.unlink()


def test_the_largest_image_offcut_accepts_fits_in_the_browser(extension, site, demo_page):
    """100 MP (offcut's MAX_PIXELS) through the default graph in WebAssembly's 4 GiB:
    a memory regression in the graph fails here, not on a user's photo."""
    from offcut._image import MAX_PIXELS

    side = int(MAX_PIXELS ** 0.5)
    source = site.files["coffee.jpg"].parent / "huge.jpg"
    with Image.open(site.files["coffee.jpg"]) as coffee:
        coffee.resize((side, side), Image.Resampling.BILINEAR).save(source, quality=85)
    try:
        reply = extension.click_menu(site.url("huge.jpg"), demo_page.url, extension.tab_id(demo_page))
        assert reply["ok"], reply
        assert (reply["result"]["width"], reply["result"]["height"]) == (side, side)
        saved = extension.wait_for_download(reply["result"]["filename"], timeout=120)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # 100 MP on purpose
            with Image.open(saved) as cutout:
                assert cutout.size == (side, side) and cutout.mode == "RGBA"
        saved.unlink()
    finally:
        source.unlink()


def test_a_hotlink_protected_image_is_asked_for_as_its_page_asks(extension, site, demo_page):
    """The server serves the image only with its own page as Referer: refused without, served on the retry."""
    tab = extension.tab_id(demo_page)
    origin = site.page_origin
    origin.hotlink_referrers.clear()
    reply = extension.click_menu(site.url("hotlinked.jpg"), demo_page.url, tab)
    assert reply["ok"], reply
    extension.wait_for_download(reply["result"]["filename"]).unlink()
    assert origin.hotlink_referrers == [None, demo_page.url]  # no Referer first, then exactly the page's
    # Elsewhere nothing changed: the rule is gone, and a page of another site is refused clearly.
    other = extension.click_menu(site.url("hotlinked.jpg?2"), "http://example.org/gallery/page.html", tab)
    assert other["ok"] is False and other["error"]["code"] == "fetch-forbidden", other
    assert "signed in" in other["error"]["message"] and origin.hotlink_referrers[-1] == "http://example.org/"  # origin only, cross-origin


@pytest.mark.parametrize("src", ["file:///etc/passwd", "chrome://settings/", "data:text/html,<p>hi</p>"])
def test_the_menu_path_is_validated_like_the_message_path(extension, demo_page, src):
    reply = extension.click_menu(src, demo_page.url, extension.tab_id(demo_page))
    assert reply["ok"] is False and reply["error"]["code"] == "bad-request", reply


def test_a_right_click_shows_its_progress_on_the_toolbar_badge(extension, demo_page, site):
    """A right-click has no page of Offcut's open: the badge is where its progress shows, then clears."""
    extension.worker.evaluate(
        """([url, pageUrl, tabId]) => {
            self.badgeSeen = [];
            self.badgeWatch = setInterval(async () => self.badgeSeen.push(await chrome.action.getBadgeText({})), 50);
            self.rightClick = self.offcut.contextMenuClicked(
                {menuItemId: 'offcut-remove-background', mediaType: 'image', srcUrl: url, pageUrl, frameId: 0},
                {id: tabId, url: pageUrl});
        }""",
        [site.url("coffee-12mp.jpg"), demo_page.url, extension.tab_id(demo_page)],
    )
    reply = extension.worker.evaluate("() => self.rightClick")
    seen = extension.worker.evaluate("() => { clearInterval(self.badgeWatch); return self.badgeSeen; }")
    assert reply["ok"], reply
    extension.wait_for_download(reply["result"]["filename"]).unlink()
    percentages = [text for text in dict.fromkeys(seen) if text.endswith("%")]
    assert "50%" in percentages, seen  # the graph stage of four, at least
    assert extension.worker.evaluate("() => chrome.action.getBadgeText({})") == ""
