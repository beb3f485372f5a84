"""Does the browser give a large image's memory back once the engine is idle? (Not a test; run by hand.)

    python -m bench.idle_memory [--idle-seconds 120]

Launches Chromium with the built extension, notes the browser's resident
memory (all its processes, summed), removes the background of the 12 MP
photo through the context menu, and samples memory until the engine's idle
period has passed and its offscreen document is closed. Prints the baseline,
the memory right after the job, and after the idle close.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from extension_browser import launch_extension, shared_playwright

from ._common import browser_processes
from tests.e2e._site import serve_site


def _browser_rss() -> int:
    return sum(process.rss for process in browser_processes(os.getpid()))


def _offscreen_documents(browser) -> int:
    return browser.worker.evaluate(
        "async () => (await chrome.runtime.getContexts({contextTypes: ['OFFSCREEN_DOCUMENT']})).length")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle-seconds", type=float, default=120, help="the engine's idle period (product: 120)")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="offcut-idle-"))
    site = serve_site(scratch / "site")
    gib = 2**30
    with launch_extension(shared_playwright(), scratch / "profile") as browser:
        page = browser.context.new_page()
        page.goto(f"{site.page_origin.base}/index.html?other={site.image_origin.base}")
        browser.worker.evaluate(f"() => self.offcut.setEngineIdleCloseMs({int(args.idle_seconds * 1000)})")
        time.sleep(3)
        baseline = _browser_rss()
        reply = browser.click_menu(site.url("coffee-12mp.jpg"), page.url, browser.tab_id(page))
        assert reply["ok"], reply
        browser.wait_for_download(reply["result"]["filename"]).unlink()
        after_job = _browser_rss()
        finished = time.monotonic()
        while _offscreen_documents(browser) and time.monotonic() - finished < args.idle_seconds + 60:
            time.sleep(1)
        closed_after = time.monotonic() - finished
        time.sleep(3)
        after_idle = _browser_rss()
    print(f"browser RSS, all processes: baseline {baseline / gib:.2f} GiB, right after a 12 MP job "
          f"{after_job / gib:.2f} GiB, after the idle close ({closed_after:.0f} s) {after_idle / gib:.2f} GiB "
          f"(+{(after_idle - baseline) / 2**20:.0f} MB over baseline)")


if __name__ == "__main__":
    main()
