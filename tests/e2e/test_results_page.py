"""The results page (results.html), as a person uses it: several files from
the popup, one of them broken; cancel in the list; "open in Offcut" from the
right-click menu; keyboard; every state audited by axe-core, light and dark."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from PIL import Image

from ._axe import audit

pytestmark = pytest.mark.browser

ITEMS = """() => [...document.querySelectorAll('#queue .item')].map((li) => ({
  id: Number(li.dataset.id), state: li.dataset.state,
  name: li.querySelector('.name').textContent, text: li.querySelector('.state').textContent,
  current: li.querySelector('.select').getAttribute('aria-current') === 'true',
}))"""
UNFINISHED = {"waiting", "running"}


def _items_when(page, done, timeout: float, what: str) -> list[dict]:
    """Polled from Python: the extension's CSP forbids the eval behind wait_for_function."""
    deadline = time.monotonic() + timeout
    while not done(items := page.evaluate(ITEMS)):
        assert time.monotonic() < deadline, f"never {what}: {items}"
        time.sleep(0.1)
    return items


def _all_settled(count: int):
    return lambda items: len(items) == count and not any(item["state"] in UNFINISHED for item in items)


def _copies(source: Path, folder: Path, names: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(source, folder / name)) for name in names]


def test_ten_files_from_the_popup_one_broken_all_answered_and_saved_in_one_folder(extension, site, tmp_path):
    photos = _copies(site.files["coffee-small.png"], tmp_path / "batch", [f"photo-{i:02}.png" for i in range(9)])
    broken = Path(shutil.copy(site.files["corrupt.jpg"], tmp_path / "batch" / "broken.jpg"))
    given = [*photos[:4], broken, *photos[4:]]
    popup = extension.context.new_page()
    popup.goto(extension.url("popup.html"))
    with extension.context.expect_page(timeout=30_000) as opened:
        popup.set_input_files("#file-input", [str(path) for path in given])
    page = opened.value
    try:
        page.wait_for_load_state()
        assert page.url == extension.url("results.html")
        items = _items_when(page, _all_settled(10), 300, "all ten settled")
        assert [item["name"] for item in items] == [path.name for path in given], "not in the order given"
        assert [item["state"] for item in items] == ["done"] * 4 + ["failed"] + ["done"] * 5
        assert "could not be decoded" in items[4]["text"], items[4]  # its own error, on its own entry
        assert page.inner_text("#summary") == "9 of 10 done, 1 failed, 0 to go."
        # Selecting the broken one shows its error in the preview, and nothing to save.
        page.click(f"#queue .item[data-id='{items[4]['id']}'] .select")
        assert page.inner_text("#preview-status") == items[4]["text"]
        assert page.is_hidden("#save-button") and page.is_hidden("#after")
        assert audit(page) == [], "a finished batch with a failure"
        # Save all: the nine cutouts in one new folder of Downloads, named by the
        # file-name pattern ({n}: the place in the list, the broken one's included), decoded back.
        page.fill("#name-pattern", "{n} {name}")
        page.dispatch_event("#name-pattern", "change")
        before = set(extension.downloads.iterdir())
        page.click("#save-all")
        deadline = time.monotonic() + 60
        while not page.inner_text("#summary").startswith("Saved 9 cutouts"):
            assert time.monotonic() < deadline, page.inner_text("#summary")
            time.sleep(0.1)
        [folder] = [path for path in set(extension.downloads.iterdir()) - before if path.is_dir()]
        assert page.inner_text("#summary") == f"Saved 9 cutouts in Downloads/{folder.name}."
        saved = sorted(folder.iterdir())
        places = [1, 2, 3, 4, 6, 7, 8, 9, 10]
        assert [path.name for path in saved] == [f"{n:03} photo-{i:02}.png" for n, i in zip(places, range(9), strict=True)]
        for path in saved:
            with Image.open(path) as image:
                assert image.mode == "RGBA" and image.size == (300, 200)
                low, high = image.getchannel("A").getextrema()
                assert low == 0 and high == 255, path.name  # a cutout, not an untouched copy
        shutil.rmtree(folder)
    finally:
        page.fill("#name-pattern", "{name}-nobg")  # the pattern is kept: the next tests expect the default
        page.dispatch_event("#name-pattern", "change")
        assert page.evaluate("() => chrome.storage.local.get('offcut.fileNamePattern')") == {
            "offcut.fileNamePattern": "{name}-nobg"}  # stored (a read after the write sees it) before the page closes
        page.close()
        popup.close()


def test_cancel_in_the_list_a_waiting_image_and_the_running_one_the_others_finish(extension, site, tmp_path):
    small = _copies(site.files["coffee-small.png"], tmp_path / "cancel", ["a.png", "b.png", "c.png"])
    page = extension.context.new_page()
    page.goto(extension.url("results.html"))
    try:
        page.set_input_files("#file-input", [str(site.files["coffee-12mp.jpg"]), *map(str, small)])
        items = _items_when(page, lambda items: len(items) == 4, 10, "four entries")
        # Two are sent at a time: the third waits here, and its Cancel ends it at once.
        page.click(f"#queue .item[data-id='{items[2]['id']}'] .cancel")
        assert page.evaluate(ITEMS)[2]["state"] == "cancelled"
        # The 12 MP photo is in the graph for seconds: its Cancel stops the engine.
        _items_when(page, lambda items: items[0]["text"] == "Removing the background…", 120, "the first one in the graph")
        page.click(f"#queue .item[data-id='{items[0]['id']}'] .cancel")
        items = _items_when(page, _all_settled(4), 120, "all four settled")
        assert [item["state"] for item in items] == ["cancelled", "done", "cancelled", "done"]
        assert page.inner_text("#summary") == "2 of 4 done, 0 failed, 0 to go."
        assert not list(extension.downloads.glob("*-nobg.png")), "the page saved without being asked"
    finally:
        page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_in_offcut_from_the_menu_then_the_keyboard(extension, site, demo_page, scheme):
    tab = extension.tab_id(demo_page)
    with extension.context.expect_page(timeout=30_000) as opened:
        reply = extension.click_menu(site.url("coffee.jpg"), demo_page.url, tab, item="offcut-open-in-offcut")
    assert reply == {"ok": True, "result": {"opened": "results.html"}}, reply
    page = opened.value
    try:
        page.emulate_media(color_scheme=scheme)
        page.wait_for_load_state()
        # A second image from the menu goes to the page already open: no second tab.
        pages = len(extension.context.pages)
        assert extension.click_menu(site.url("coffee-small.png"), demo_page.url, tab, item="offcut-open-in-offcut")["ok"]
        items = _items_when(page, _all_settled(2), 180, "both images settled")
        assert len(extension.context.pages) == pages
        assert [(item["name"], item["state"]) for item in items] == [("coffee.jpg", "done"), ("coffee-small.png", "done")]
        assert not list(extension.downloads.glob("coffee*-nobg.png")), "saved before the user asked"
        assert audit(page) == [], "two results, the first selected"
        # Keyboard: the arrows move through the list, Ctrl+S saves the one selected.
        page.focus(f"#queue .item[data-id='{items[0]['id']}'] .select")
        page.keyboard.press("ArrowDown")
        assert [item["current"] for item in page.evaluate(ITEMS)] == [False, True]
        assert page.evaluate("() => document.activeElement.closest('.item').dataset.id") == str(items[1]["id"])
        page.keyboard.press("ArrowUp")
        assert [item["current"] for item in page.evaluate(ITEMS)] == [True, False]
        assert page.inner_text("#preview-name") == "coffee.jpg"
        page.keyboard.press("Control+s")
        saved = extension.wait_for_download("coffee-nobg.png")
        with Image.open(saved) as image, Image.open(site.files["coffee.jpg"]) as original:
            assert image.mode == "RGBA" and image.size == original.size
        saved.unlink()
        # In the file-name field, keys and a paste edit the text: Esc cancels nothing, Ctrl+V adds no image.
        page.evaluate("() => navigator.clipboard.writeText('{date} {name}')")
        page.focus("#name-pattern")
        page.keyboard.press("Control+a")
        page.keyboard.press("Control+v")
        page.keyboard.press("Escape")
        assert page.input_value("#name-pattern") == "{date} {name}"
        assert len(page.evaluate(ITEMS)) == 2
        page.fill("#name-pattern", "{name}-nobg")  # not stored (no change event): the next test sees the default
        # The preview's backdrops and the before/after slider are real controls.
        page.check("input[name=backdrop][value=dark]")
        assert "dark" in page.get_attribute("#compare", "class")
        page.fill("#split", "30")
        assert page.evaluate("() => document.getElementById('after').style.clipPath") == "inset(0px 0px 0px 70%)"
        # Zoom and pan: the buttons, then the keyboard on the focused picture.
        scale = lambda: page.get_attribute("#compare", "data-scale")  # noqa: E731
        page.click("#zoom-in")
        assert scale() == "1.50"
        page.focus("#compare")
        page.keyboard.press("+")
        assert scale() == "2.25"
        moved = page.evaluate("() => document.getElementById('zoomable').style.transform")
        page.keyboard.press("ArrowRight")
        assert page.evaluate("() => document.getElementById('zoomable').style.transform") != moved, "the arrow did not pan"
        assert [item["current"] for item in page.evaluate(ITEMS)] == [True, False], "an arrow on the picture left it"
        page.keyboard.press("0")
        assert scale() == "1.00"
        assert audit(page) == [], "dark backdrop, slider moved, zoomed and back"
    finally:
        page.close()


STATUS = "() => chrome.runtime.sendMessage({target: 'background', type: 'get-status', payload: {}})"


def test_closing_the_page_stops_its_images(extension, extension_page, site, tmp_path):
    small = _copies(site.files["coffee-small.png"], tmp_path / "closing", ["d.png", "e.png"])
    before = extension_page.evaluate(STATUS)["result"]["jobsStarted"]
    page = extension.context.new_page()
    page.goto(extension.url("results.html"))
    page.set_input_files("#file-input", [str(site.files["coffee-12mp.jpg"]), *map(str, small)])
    _items_when(page, lambda items: items and items[0]["text"] == "Removing the background…", 120, "the first one in the graph")
    page.close(run_before_unload=True)
    # The running image is stopped (its engine document closed: the one way to stop a graph) and the
    # one queued behind it never starts: the new document has started no job.
    time.sleep(8)  # the small ones take ~3 s each: they would have started and finished by now
    status = extension_page.evaluate(STATUS)["result"]
    assert status["jobsStarted"] == 0, f"{status} (before the page: {before})"
