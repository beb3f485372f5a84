"""Click-to-file timings of the built extension (not a test; run by hand).

    python -m bench.extension [--runs 5] [--photo 12mp|100mp] [--dist DIST]

12 MP photo (or 100 MP, the largest Offcut accepts), default model: warm (offscreen document already booted) and
cold (fresh offscreen document per run), medians per stage, the backend and
thread count, and the browser's peak resident memory (all its processes).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from extension_browser import DIST, launch_extension, shared_playwright
from PIL import Image

from ._common import PeakMemory
from tests.e2e._site import SAMPLES, serve_site

STAGES = ("fetch", "decode", "python", "graph", "encode", "check", "save")


def one_run(browser, src, page, tab, cold: bool) -> dict:
    if cold:
        browser.close_offscreen()
    started = time.perf_counter()
    reply = browser.click_menu(src, page.url, tab)
    assert reply["ok"], reply
    saved = browser.wait_for_download(reply["result"]["filename"])
    total = time.perf_counter() - started
    saved.unlink()
    timings = reply["result"]["timings"]
    row = {stage: timings.get(stage, 0.0) for stage in STAGES}
    row["other"] = total - sum(row.values())  # cold: engine boot; warm: routing and messaging
    row["click_to_file"] = total
    row["backend"] = f"{reply['result']['backend']} ({reply['result']['threads']} threads)"
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--photo", choices=("12mp", "100mp"), default="12mp")
    parser.add_argument("--dist", type=Path, default=DIST, help="the build to measure (an earlier one, to compare)")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="offcut-bench-"))
    site = serve_site(scratch / "site")
    if args.photo == "100mp":  # 12240×8168: just under the 100 MP limit, the coffee photo's 3:2 aspect
        coffee = Image.open(SAMPLES / "coffee.png").convert("RGB")
        coffee.resize((12240, 8168), Image.Resampling.BILINEAR).save(scratch / "site" / "coffee-100mp.jpg", quality=90)
    root_pid = os.getpid()
    browser_context = launch_extension(shared_playwright(), scratch / "profile", dist=args.dist.resolve())
    with browser_context as browser, PeakMemory(root_pid) as memory:
        page = browser.context.new_page()
        page.goto(f"{site.page_origin.base}/index.html?other={site.image_origin.base}")
        tab = browser.tab_id(page)
        src = site.url(f"coffee-{args.photo}.jpg")
        one_run(browser, src, page, tab, cold=False)  # boot once
        results = {}
        for mode in ("warm", "cold"):
            memory.phase = mode
            results[mode] = [one_run(browser, src, page, tab, cold=mode == "cold") for _ in range(args.runs)]
        memory.phase = None
    for mode, rows in results.items():
        medians = {k: statistics.median(r[k] for r in rows) for k in (*STAGES, "other", "click_to_file")}
        print(f"{mode}: " + ", ".join(f"{k} {v:.2f}s" for k, v in medians.items()) + f"; {rows[0]['backend']}")
        print(f"  click-to-file per run: {[round(r['click_to_file'], 2) for r in rows]}")
    print(f"browser peak RSS (all processes, summed): {memory.peak / 2**30:.2f} GiB")
    for mode, peak in memory.phases.items():
        split = ", ".join(f"{role} {peak[role] / 2**30:.2f}" for role in ("extension", "page", "shared"))
        print(f"  {mode} runs' peak: {peak['total'] / 2**30:.2f} GiB ({split})")


if __name__ == "__main__":
    main()
