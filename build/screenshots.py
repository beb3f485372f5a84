"""The README's pictures of the popup and the results page, taken from the
built extension in headless Chromium (``make docs``), so they show what ships.

    python build/screenshots.py docs/
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "build")]

from extension_browser import launch_extension, shared_playwright  # noqa: E402
from tests.e2e._site import serve_site  # noqa: E402

SETTLED = """(count) => {
    const items = [...document.querySelectorAll('#queue .item')];
    return items.length === count && items.every((li) => !['waiting', 'running'].includes(li.dataset.state));
}"""


def _until(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"the screenshot never showed {what}")
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    folder = parser.parse_args().folder
    folder.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="offcut-docs-"))
    site = serve_site(scratch / "site")
    with launch_extension(shared_playwright(), scratch / "profile") as browser:
        popup = browser.context.new_page()
        popup.set_viewport_size({"width": 460, "height": 520})
        popup.goto(browser.url("popup.html"))
        popup.set_input_files("#file-input", str(site.files["coffee.jpg"]))
        _until(lambda: popup.inner_text("#status").startswith("Done in "), 120, "the popup's result")
        popup.screenshot(path=folder / "popup.png")

        page = browser.context.new_page()
        page.set_viewport_size({"width": 1280, "height": 760})  # wide enough for the Export panel's column
        page.goto(browser.url("results.html"))
        names = ("astronaut.png", "coffee.jpg", "coffee-small.png", "corrupt.jpg")
        page.set_input_files("#file-input", [str(site.files[name]) for name in names])
        _until(lambda: page.evaluate(SETTLED, len(names)), 240, "all four images settled")
        page.click("#queue .item[data-id='1'] .select")
        # The Export panel in use: a preset colour, cropped to the subject; the preview is that export.
        page.click("#export-presets .swatch[value='#1e6fd9']")
        page.check("#export-crop")
        page.fill("#export-margin", "4")
        page.select_option("#export-margin-unit", "%")
        page.keyboard.press("Tab")  # the margin's change event, as a person leaving the field
        time.sleep(1)  # past the preview's pause: the last change's export is the one awaited
        _until(lambda: page.eval_on_selector("#compare", "c => c.dataset.preview") == "export", 120,
               "the export's preview")
        page.fill("#split", "55")
        page.screenshot(path=folder / "results.png")
    for name in ("popup.png", "results.png"):
        print(f"wrote {folder / name}")


if __name__ == "__main__":
    main()
