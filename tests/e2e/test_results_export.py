"""The results page's Export panel, as a person uses it: a background (a
colour, a preset, the photo blurred), a crop to the subject with a margin, a
format, a size, the mask alone; Save, Save all and Copy give that picture,
decoded back with Pillow and measured against the plain cutout of the same
image; the preview shows it; the options survive a reload; JPEG is never
transparent; the panel works from the keyboard alone; axe finds nothing."""

from __future__ import annotations

import base64
import io
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ._axe import audit
from ._clipboard import paste_into_a_web_page

pytestmark = pytest.mark.browser

KEY = "offcut.exportOptions"
PLAIN = {"background": "transparent", "crop": None, "format": "png", "maxSize": None, "onlyMask": False}
STATES = "() => [...document.querySelectorAll('#queue .item')].map((li) => li.dataset.state)"
TEXTS = "() => [...document.querySelectorAll('#queue .item')].map((li) => li.innerText)"
RED = (0xD9, 0x3B, 0x3B)  # a preset of core_py/offcut/export_spec.json ("Red")


@dataclass
class Results:
    page: object
    downloads: Path
    alpha: np.ndarray  # the plain cutout of coffee-small.png, as the page saved it (H×W)
    rgb: np.ndarray
    photo: np.ndarray  # the original, RGB


def _until(condition, timeout: float, what):
    """Polled from Python: the extension's CSP forbids the eval behind wait_for_function. `what`: text, or a function giving it."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, f"never {what() if callable(what) else what}"
        time.sleep(0.1)
    return value


def _open_with(extension, files: list[Path]):
    page = extension.context.new_page()
    page.goto(extension.url("results.html"))
    page.set_input_files("#file-input", [str(path) for path in files])
    _until(lambda: page.evaluate(STATES) == ["done"] * len(files), 180, lambda: f"all done: {page.evaluate(TEXTS)}")
    return page


def _save(extension, page, name: str, *, keys: bool = False) -> Image.Image:
    """Save (the button, or Ctrl+S), the file decoded into memory and removed from Downloads."""
    if keys:
        page.keyboard.press("Control+s")
    else:
        page.click("#save-button")
    path = extension.downloads / name
    _until(lambda: (path.is_file() and not list(extension.downloads.glob("*.crdownload")))
           or "error" in (page.get_attribute("#summary", "class") or ""), 120, f"{name} saved")
    assert path.is_file(), page.inner_text("#summary")
    with Image.open(path) as image:
        image.load()
        decoded = image.copy()
        decoded.format = image.format
    path.unlink()
    return decoded


def _choose(page, *, background="transparent", crop=None, fmt="png", max_size=None, mask=False) -> None:
    """Set every control of the panel, as a person clicks and types them."""
    page.set_checked("#export-only-mask", False)
    page.select_option("#export-format", fmt)
    if background in ("transparent", "blur"):
        page.check(f"input[name=export-background][value={background}]")
    elif page.locator(f"#export-presets button[value='{background}']").count():
        page.click(f"#export-presets button[value='{background}']")
    else:
        page.fill("#export-colour", background)
    page.set_checked("#export-crop", crop is not None)
    if crop is not None:
        page.select_option("#export-margin-unit", crop[1])
        page.fill("#export-margin", str(crop[0]))
        page.dispatch_event("#export-margin", "change")
    page.check(f"input[name=export-size][value={'original' if max_size is None else 'limit'}]")
    if max_size is not None:
        page.fill("#export-max-size", str(max_size))
        page.dispatch_event("#export-max-size", "change")
    page.set_checked("#export-only-mask", mask)


def _stored(page) -> dict | None:
    return page.evaluate(f"() => chrome.storage.local.get('{KEY}')").get(KEY)


@pytest.fixture(scope="module")
def results(extension, site, tmp_path_factory):
    """coffee-small.png and coffee.png in the results page, done; the plain cutout saved as the reference."""
    folder = tmp_path_factory.mktemp("export")
    small = Path(shutil.copy(site.files["coffee-small.png"], folder / "coffee-small.png"))
    second = Path(shutil.copy(site.files["coffee.png"], folder / "coffee.png"))
    page = extension.context.new_page()
    page.goto(extension.url("results.html"))
    page.evaluate(f"() => chrome.storage.local.remove('{KEY}')")
    page.close()
    page = _open_with(extension, [small, second])
    try:
        assert page.is_checked("input[name=export-background][value=transparent]")
        plain = np.array(_save(extension, page, "coffee-small-nobg.png"))
        assert plain.shape == (200, 300, 4)
        with Image.open(small) as photo:
            yield Results(page, extension.downloads, plain[..., 3], plain[..., :3], np.array(photo.convert("RGB")))
    finally:
        page.evaluate(f"() => chrome.storage.local.remove('{KEY}')")  # the next tests expect the plain cutout
        page.close()


def _box(alpha: np.ndarray, margin: float, unit: str) -> tuple[int, int, int, int]:
    """The crop the rules give: the alpha's bounding box grown by the margin, clamped to the photo (top, left, bottom, right)."""
    rows, cols = np.nonzero(alpha)
    top, left, bottom, right = rows.min(), cols.min(), rows.max() + 1, cols.max() + 1
    if unit == "%":
        margin = margin / 100 * max(bottom - top, right - left)
    height, width = alpha.shape
    return (max(0, round(top - margin)), max(0, round(left - margin)),
            min(height, round(bottom + margin)), min(width, round(right + margin)))


def _opaque(image: Image.Image) -> np.ndarray:
    """The picture's RGB, after checking that no pixel of it is see-through."""
    if "A" in image.getbands():
        assert image.getchannel("A").getextrema() == (255, 255), "a background was asked for, not transparency"
    return np.array(image.convert("RGB")).astype(int)


def _smoothness(rgb: np.ndarray, where: np.ndarray) -> float:
    """Mean absolute difference between horizontal neighbours inside `where` (lower: smoother)."""
    step = np.abs(np.diff(rgb.astype(int), axis=1)).sum(axis=2)
    return float(step[where[:, 1:] & where[:, :-1]].mean())


# (background, format, what the file must be)
BACKGROUNDS = [
    ("transparent", "webp", "transparent"),
    ("#d93b3b", "png", "red"),  # a preset swatch
    ("#123456", "jpeg", "custom"),  # the colour picker
    ("blur", "webp", "blur"),
    ("blur", "jpeg", "blur"),
]


@pytest.mark.parametrize(("background", "fmt", "expect"), BACKGROUNDS, ids=[f"{b}-{f}" for b, f, _ in BACKGROUNDS])
def test_each_background_and_format_saved_as_asked(extension, results, background, fmt, expect):
    page = results.page
    _choose(page, background=background, fmt=fmt)
    extension_name = {"png": "png", "webp": "webp", "jpeg": "jpg"}[fmt]
    assert page.inner_text("#name-extension") == f".{extension_name}"
    assert page.inner_text("#save-button") == {"png": "Save PNG", "webp": "Save WebP", "jpeg": "Save JPEG"}[fmt]
    image = _save(extension, page, f"coffee-small-nobg.{extension_name}")
    assert image.format == {"png": "PNG", "webp": "WEBP", "jpeg": "JPEG"}[fmt]
    assert image.size == (300, 200)
    clear, solid = results.alpha == 0, results.alpha == 255
    if expect == "transparent":
        rgba = np.array(image.convert("RGBA"))
        np.testing.assert_array_equal(rgba[..., 3], results.alpha)  # lossless WebP: the same matte
        assert np.abs(rgba[..., :3][solid].astype(int) - results.rgb[solid]).max() <= 1
        return
    rgb = _opaque(image)
    tolerance = 8 if fmt == "jpeg" else 1
    if expect in ("red", "custom"):
        colour = RED if expect == "red" else (0x12, 0x34, 0x56)
        assert np.abs(np.median(rgb[clear], axis=0) - colour).max() <= tolerance, np.median(rgb[clear], axis=0)
        assert np.abs(rgb[solid] - results.rgb[solid]).mean() <= tolerance / 2, "the subject changed"
    else:  # the photo, blurred, behind the subject
        assert np.abs(rgb[clear].mean(axis=0) - results.photo[clear].mean(axis=0)).max() < 20, "not the photo's colours"
        assert rgb[clear].std() > 3, "a flat colour, not the photo"
        assert _smoothness(rgb, clear) < 0.7 * _smoothness(results.photo, clear), "not blurred"
        assert np.abs(rgb[solid] - results.rgb[solid]).mean() <= tolerance + 2, "the subject changed"


@pytest.mark.parametrize(("margin", "unit"), [(10, "px"), (10, "%"), (0, "px")])
def test_crop_to_the_subject_with_a_margin(extension, results, margin, unit):
    _choose(results.page, crop=(margin, unit))
    image = _save(extension, results.page, "coffee-small-nobg.png")
    top, left, bottom, right = _box(results.alpha, margin, unit)
    # Within the rounding of the margin on each side.
    assert abs(image.width - (right - left)) <= 2 and abs(image.height - (bottom - top)) <= 2, (image.size, (top, left, bottom, right))
    alpha = np.array(image.getchannel("A")).astype(int)
    assert abs(alpha.sum() - results.alpha.astype(int).sum()) <= 0.002 * results.alpha.sum(), "the crop cut the subject"


@pytest.mark.parametrize(("max_size", "size"), [(100, (100, 67)), (1000, (300, 200))], ids=["smaller", "never-larger"])
def test_longest_side_at_most(extension, results, max_size, size):
    _choose(results.page, fmt="webp", max_size=max_size)
    image = _save(extension, results.page, "coffee-small-nobg.webp")
    assert abs(image.width - size[0]) <= 1 and abs(image.height - size[1]) <= 1, image.size
    assert image.getchannel("A").getextrema() == (0, 255)


@pytest.mark.parametrize("fmt", ["png", "jpeg"])
def test_the_mask_alone(extension, results, fmt):
    _choose(results.page, background="#d93b3b", fmt=fmt, mask=True)
    assert results.page.is_disabled("input[name=export-background][value=blur]"), "the mask has no background"
    image = _save(extension, results.page, f"coffee-small-nobg.{'jpg' if fmt == 'jpeg' else 'png'}")
    assert image.size == (300, 200)
    rgb = _opaque(image)
    assert np.abs(rgb - rgb[..., :1]).max() <= (2 if fmt == "jpeg" else 0), "not a grey picture"
    difference = np.abs(rgb[..., 0] - results.alpha.astype(int))
    assert difference.mean() <= (3 if fmt == "jpeg" else 0.5), "the mask is not the cutout's alpha"


def test_jpeg_is_never_transparent(extension, results):
    page = results.page
    _choose(page)
    transparent = "input[name=export-background][value=transparent]"
    assert page.is_enabled(transparent) and page.is_hidden("#export-jpeg-note")
    page.select_option("#export-format", "jpeg")
    assert page.is_disabled(transparent) and not page.is_checked(transparent)
    assert page.is_checked("input[name=export-background][value=colour]")
    assert page.input_value("#export-colour") == "#ffffff"
    assert page.get_attribute("#export-presets button[value='#ffffff']", "aria-pressed") == "true"
    assert page.is_visible("#export-jpeg-note")
    assert _stored(page) == {**PLAIN, "format": "jpeg", "background": "#ffffff"}
    rgb = _opaque(_save(extension, page, "coffee-small-nobg.jpg"))
    assert np.abs(np.median(rgb[results.alpha == 0], axis=0) - 255).max() <= 3
    # Back to PNG: transparent is offered again, and white stays until it is chosen.
    page.select_option("#export-format", "png")
    assert page.is_enabled(transparent) and page.is_checked("input[name=export-background][value=colour]")


def test_the_preview_shows_what_save_gives(extension, results):
    page = results.page
    _choose(page)
    cutout = page.get_attribute("#after", "src")
    assert page.get_attribute("#compare", "data-preview") == "cutout"
    page.click("#export-presets button[value='#d93b3b']")
    assert page.inner_text("#preview-status") == "Updating preview…"  # until the pause after a change ends
    _until(lambda: page.get_attribute("#compare", "data-preview") == "export", 60, "the export previewed")
    page.set_checked("#export-crop", True)
    page.fill("#export-margin", "10")
    page.dispatch_event("#export-margin", "change")
    assert page.get_attribute("#compare", "data-preview") == "updating"
    _until(lambda: page.get_attribute("#compare", "data-preview") == "export", 60, "the crop previewed")
    top, left, bottom, right = _box(results.alpha, 10, "px")
    shown = _until(lambda: page.evaluate("""() => { const after = document.getElementById('after');
        return after.complete && after.naturalWidth ? [after.naturalWidth, after.naturalHeight] : null; }"""), 10, "shown")
    assert abs(shown[0] - (right - left)) <= 2 and abs(shown[1] - (bottom - top)) <= 2, shown
    assert page.inner_text("#preview-status") == f"Preview of what Save gives: {shown[0]}×{shown[1]}"
    assert page.get_attribute("#after", "src") != cutout
    assert page.get_attribute("#after", "alt") == "The picture Save gives"
    # The original shows the same part of the photo, so the slider compares like with like.
    assert page.evaluate("() => document.getElementById('before').style.objectViewBox").startswith("inset(")
    page.fill("#split", "30")
    assert page.evaluate("() => document.getElementById('after').style.clipPath") == "inset(0px 0px 0px 70%)"
    # What Save writes is what was shown.
    saved = _save(extension, page, "coffee-small-nobg.png")
    assert saved.size == tuple(shown)
    # Another image: its own export, never the first one's picture meanwhile.
    page.locator("#queue .item .select").nth(1).click()
    assert page.is_hidden("#after") and page.get_attribute("#compare", "data-preview") == "updating"
    _until(lambda: page.get_attribute("#compare", "data-preview") == "export", 60, "the second image previewed")
    page.click("#queue .item .select")
    # Plain options again: the cutout itself, at once.
    _choose(page)
    assert page.get_attribute("#compare", "data-preview") == "cutout"
    assert page.get_attribute("#after", "src") == cutout
    page.fill("#split", "100")


def test_copy_gives_a_png_with_the_options(extension, results, site):
    page = results.page
    assert "only PNG" in page.get_attribute("#copy-button", "title")
    _choose(page, background="#d93b3b", fmt="jpeg")
    page.bring_to_front()
    page.click("#copy-button")
    _until(lambda: page.inner_text("#summary") == "Copied the cutout to the clipboard.", 60, "copied")
    with Image.open(io.BytesIO(base64.b64decode(paste_into_a_web_page(extension, site)))) as image:
        assert image.format == "PNG" and image.size == (300, 200)
        rgb = _opaque(image)
    assert np.abs(np.median(rgb[results.alpha == 0], axis=0) - RED).max() <= 1


def test_save_all_with_the_options(extension, results):
    page = results.page
    _choose(page, background="blur", fmt="webp", max_size=120)
    before = set(extension.downloads.iterdir())
    page.click("#save-all")
    _until(lambda: page.inner_text("#summary").startswith("Saved 2 cutouts"), 180, page.inner_text("#summary"))
    [folder] = [path for path in set(extension.downloads.iterdir()) - before if path.is_dir()]
    saved = sorted(folder.iterdir())
    assert [path.name for path in saved] == ["coffee-nobg.webp", "coffee-small-nobg.webp"]
    for path in saved:
        with Image.open(path) as image:
            assert image.format == "WEBP" and max(image.size) == 120, (path.name, image.size)
            _opaque(image)
    shutil.rmtree(folder)


def test_the_options_are_kept_for_the_next_visit(extension, results):
    page = extension.context.new_page()
    try:
        page.goto(extension.url("results.html"))
        _choose(page, background="blur", crop=(5, "%"), fmt="webp", max_size=640)
        kept = {"background": "blur", "crop": {"margin": 5, "unit": "%"}, "format": "webp", "maxSize": 640, "onlyMask": False}
        assert _stored(page) == kept
        page.reload()
        _until(lambda: page.is_checked("input[name=export-background][value=blur]"), 10, "the stored options shown")
        assert page.is_checked("#export-crop") and page.input_value("#export-margin") == "5"
        assert page.input_value("#export-margin-unit") == "%" and page.input_value("#export-format") == "webp"
        assert page.is_checked("input[name=export-size][value=limit]") and page.input_value("#export-max-size") == "640"
        assert page.inner_text("#name-extension") == ".webp"
        # A stored value this version cannot use (another version's, a broken one) gives the defaults.
        page.evaluate(f"() => chrome.storage.local.set({{'{KEY}': {{format: 'webp', background: 'blur', maxSize: 3}}}})")
        page.reload()
        time.sleep(0.5)  # the storage read
        assert page.is_checked("input[name=export-background][value=transparent]")
        assert not page.is_checked("#export-crop") and page.input_value("#export-format") == "png"
        assert page.is_checked("input[name=export-size][value=original]")
    finally:
        page.evaluate(f"() => chrome.storage.local.remove('{KEY}')")
        page.close()


def test_the_panel_from_the_keyboard_alone(extension, results):
    page = results.page
    _choose(page)
    page.focus("input[name=export-background][value=transparent]")
    steps = [  # (keys, the control that has the focus after them)
        (["ArrowDown"], "input[name=export-background][value=colour]"),
        (["Tab"], "#export-colour"),
        (["Tab", "Tab"], "#export-presets button[value='#000000']"),
        (["Space"], "#export-presets button[value='#000000']"),
        (["Tab"] * 5, "#export-crop"),
        (["Space", "Tab"], "#export-margin"),
        (["Control+a", "1", "2", "Tab"], "#export-margin-unit"),
        (["Tab", "ArrowDown"], "#export-format"),
        (["Tab"], "input[name=export-size][value=original]"),
        (["ArrowDown"], "input[name=export-size][value=limit]"),
        (["Tab", "Control+a", "1", "5", "0", "Tab"], "#export-only-mask"),
    ]
    for keys, focused in steps:
        for key in keys:
            page.keyboard.press(key)
        assert page.evaluate("(selector) => document.activeElement === document.querySelector(selector)", focused), \
            (keys, focused, page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)"))
    assert _stored(page) == {"background": "#000000", "crop": {"margin": 12, "unit": "px"}, "format": "webp",
                             "maxSize": 150, "onlyMask": False}
    image = _save(extension, page, "coffee-small-nobg.webp", keys=True)
    top, left, bottom, right = _box(results.alpha, 12, "px")
    assert max(image.size) == 150
    assert abs(image.width / image.height - (right - left) / (bottom - top)) < 0.02, image.size
    rgb = _opaque(image)
    assert (rgb[:2].max(axis=2) <= 3).mean() > 0.3, "no black background along the top edge"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_page_with_the_panel_passes_axe(extension, results, scheme):
    page = results.page
    page.emulate_media(color_scheme=scheme)
    try:
        _choose(page, background="#1e6fd9", crop=(4, "%"), fmt="jpeg", max_size=800)
        _until(lambda: page.get_attribute("#compare", "data-preview") == "export", 60, "the export previewed")
        assert audit(page) == [], "colour, crop, JPEG, a size limit"
        _choose(page, fmt="jpeg", background="#ffffff")
        assert page.is_visible("#export-jpeg-note")
        page.set_checked("#export-only-mask", True)  # the background fieldset disabled
        _until(lambda: page.get_attribute("#compare", "data-preview") == "export", 60, "the mask previewed")
        assert audit(page) == [], "the mask alone"
    finally:
        page.emulate_media(color_scheme="light")


def test_an_export_that_fails_is_shown_on_its_image(extension, site, tmp_path):
    """The photo a blurred background needs was deleted after it was chosen: the export fails, on its image."""
    photo = Path(shutil.copy(site.files["coffee-small.png"], tmp_path / "gone.png"))
    page = _open_with(extension, [photo])
    try:
        photo.unlink()
        _choose(page, background="blur", fmt="webp")
        _until(lambda: page.get_attribute("#compare", "data-preview") == "failed", 60, "the preview failed")
        assert "error" in page.get_attribute("#preview-status", "class")
        note = page.inner_text("#queue .item .note")
        assert note and note == page.inner_text("#preview-status")
        assert page.evaluate(STATES) == ["done"], "the cutout itself is still there"
        page.click("#save-button")
        _until(lambda: "error" in (page.get_attribute("#summary", "class") or ""), 60, "the failed save said")
        assert page.inner_text("#summary") == note
        assert not list(extension.downloads.glob("gone-nobg*")), "a file was saved"
    finally:
        page.evaluate(f"() => chrome.storage.local.remove('{KEY}')")
        page.close()
