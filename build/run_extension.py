"""``make run``: Chromium with the built extension on a local demo page.

With a display, the browser opens on the demo page as a fresh install: the
fast model works at once and the popup offers the best-quality one (its
download comes from a local mirror of its npm package, this machine reaching
no CDN); right-click a photo → "Remove background", or use the toolbar popup;
close the window to stop. Without one (``$DISPLAY`` unset), the best model is
downloaded as if the user had said yes, the same right-click flow runs
headless on every demo photo and the cutouts are written to ``--out``.

    python build/run_extension.py [--out DIR] [--headless]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from extension_browser import launch_extension  # noqa: E402

# scikit-image's bundled photos: astronaut (public domain), chelsea and coffee (CC0).
DEMO_PHOTOS = ("astronaut.png", "chelsea.png", "coffee.png")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "out")
    parser.add_argument("--headless", action="store_true", help="even with a display")
    args = parser.parse_args(argv)
    headless = args.headless or not os.environ.get("DISPLAY")
    with tempfile.TemporaryDirectory(prefix="offcut-run-") as scratch:
        page_url = serve_demo(Path(scratch) / "site")
        with sync_playwright() as playwright, launch_extension(
            playwright, Path(scratch) / "profile", headless=headless, best_model=headless
        ) as browser:
            if headless:
                return cut_out_all(browser, page_url, args.out.resolve())
            page = browser.context.new_page()
            page.goto(page_url)
            print(f"Chromium is open on {page_url}: right-click a photo → Remove background. Close it to stop.")
            page.wait_for_event("close", timeout=0)
    return 0


def cut_out_all(browser, page_url: str, out: Path) -> int:
    page = browser.context.new_page()
    page.goto(page_url)
    tab = browser.tab_id(page)
    out.mkdir(parents=True, exist_ok=True)
    failures = 0
    for src in page.eval_on_selector_all("img", "images => images.map((img) => img.src)"):
        reply = browser.click_menu(src, page.url, tab)
        if not reply["ok"]:
            failures += 1
            print(f"  {src}: {reply['error']['code']}: {reply['error']['message']}")
            continue
        result = reply["result"]
        saved = browser.wait_for_download(result["filename"])
        shutil.copy2(saved, out / result["filename"])
        seconds = sum(result["timings"].values())
        print(f"  {result['filename']}: {result['width']}×{result['height']}, {result['model']}, {result['backend']} "
              f"({result['threads']} threads), {seconds:.1f} s")
    print(f"Cutouts are in {out}/")
    return 1 if failures else 0


def serve_demo(folder: Path) -> str:
    import skimage.data

    folder.mkdir(parents=True)
    samples = Path(skimage.data.__file__).parent
    figures = []
    for name in DEMO_PHOTOS:
        shutil.copy2(samples / name, folder / name)
        figures.append(f'<figure><img src="{name}" alt="{name}" height="240"><figcaption>{name}</figcaption></figure>')
    (folder / "index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>Offcut demo</title>"
        "<h1>Right-click a photo → Remove background</h1>" + "".join(figures)
    )
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/index.html"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


if __name__ == "__main__":
    sys.exit(main())
