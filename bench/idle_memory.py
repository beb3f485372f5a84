"""Does the browser give a large image's memory back once the engine is idle? (Not a test; run by hand.)

    python -m bench.idle_memory [--idle-seconds 120] [--burst N]

Launches Chromium with the built extension, notes the browser's resident
memory (all its processes, summed), removes the background of the 12 MP
photo through the context menu — or, with ``--burst N``, of N photos
submitted at once (the 1 MP, 12 MP and small demo photos in turn, as a person
right-clicking down a gallery would) —, and samples memory until the
engine's idle period has passed and its offscreen document is closed. Prints
the baseline, the peak during the job(s), the memory right after, and after
the idle close; for a burst also its time and whether every job succeeded, in order.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from extension_browser import launch_extension, shared_playwright

from ._common import PeakMemory, browser_processes
from tests.e2e._site import serve_site

BURST_PHOTOS = ["coffee-12mp.jpg", "coffee.jpg", "coffee-small.png"]


def _browser_rss() -> int:
    return sum(process.rss for process in browser_processes(os.getpid()))


def _offscreen_documents(browser) -> int:
    return browser.worker.evaluate(
        "async () => (await chrome.runtime.getContexts({contextTypes: ['OFFSCREEN_DOCUMENT']})).length")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle-seconds", type=float, default=120, help="the engine's idle period (product: 120)")
    parser.add_argument("--burst", type=int, default=0, help="submit this many jobs at once instead of one 12 MP job")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="offcut-idle-"))
    site = serve_site(scratch / "site")
    gib = 2**30
    with launch_extension(shared_playwright(), scratch / "profile") as browser:
        page = browser.context.new_page()
        page.goto(f"{site.page_origin.base}/index.html?other={site.image_origin.base}")
        browser.worker.evaluate(f"() => self.offcut.setEngineIdleCloseMs({int(args.idle_seconds * 1000)})")
        _wait_until_no_engine(browser)  # the engine prepared at install closes by itself
        time.sleep(3)
        baseline = _browser_rss()
        started = time.monotonic()
        with PeakMemory(os.getpid()) as peak:
            if args.burst:
                _burst(browser, site, args.burst)
            else:
                reply = browser.click_menu(site.url("coffee-12mp.jpg"), page.url, browser.tab_id(page))
                assert reply["ok"], reply
                browser.wait_for_download(reply["result"]["filename"]).unlink()
        took = time.monotonic() - started
        after_job = _browser_rss()
        finished = time.monotonic()
        while _offscreen_documents(browser) and time.monotonic() - finished < args.idle_seconds + 60:
            time.sleep(1)
        closed_after = time.monotonic() - finished
        time.sleep(3)
        after_idle = _browser_rss()
    work = f"{args.burst} jobs submitted at once ({took:.0f} s, {took / args.burst:.1f} s each)" if args.burst \
        else f"a 12 MP job ({took:.1f} s)"
    print(f"browser RSS, all processes: baseline {baseline / gib:.2f} GiB; {work}: peak {peak.peak / gib:.2f} GiB, "
          f"right after {after_job / gib:.2f} GiB, after the idle close ({closed_after:.0f} s) "
          f"{after_idle / gib:.2f} GiB (+{(after_idle - baseline) / 2**20:.0f} MB over baseline)")


def _wait_until_no_engine(browser, limit: float = 120) -> None:
    started = time.monotonic()
    while _offscreen_documents(browser) and time.monotonic() - started < limit:
        time.sleep(0.5)


def _burst(browser, site, count: int) -> None:
    """``count`` remove-background requests sent at once from an extension page; all must succeed, in order."""
    page = browser.context.new_page()
    page.goto(browser.url("popup.html"))
    urls = [site.url(BURST_PHOTOS[i % len(BURST_PHOTOS)]) for i in range(count)]
    replies = page.evaluate(
        """async (urls) => {
            const finished = [];
            const replies = await Promise.all(urls.map((url, i) => chrome.runtime.sendMessage(
                {target: 'background', type: 'remove-background', payload: {url, name: `burst-${i}.png`}})
                .then((reply) => { finished.push(i); return reply; })));
            return {replies, finished};
        }""",
        urls,
    )
    failed = [r for r in replies["replies"] if not r["ok"]]
    assert not failed, failed[:3]
    assert replies["finished"] == sorted(replies["finished"]), "jobs finished out of order"
    for reply in replies["replies"]:
        browser.wait_for_download(reply["result"]["filename"]).unlink()
    page.close()


if __name__ == "__main__":
    main()
