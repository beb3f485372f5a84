"""This build against an earlier one, in one run (not a test; run by hand).

    python -m bench.builds --against OLD_DIST [--dist dist] [--runs 3] [--photo 12mp|1mp]

What issue 9 asks to report for the model store, for each build: first use
(install-model from the local mirror: download, checks, store; then the first
engine's boot, which assembles the default's graph and stores it), cold start
with the model already stored (a fresh offscreen document per run) and warm
click-to-file, on the 12 MP photo (or the 1 MP one bench.browser uses). Both builds are loaded in their own browser
at once, each with a fresh profile, and every measurement alternates between
them, so they share the machine's noise; medians and new/old ratios are
printed, nothing is asserted. Make the old build from a commit with

    git worktree add /tmp/old COMMIT && ln -s "$PWD/node_modules" /tmp/old/node_modules
    OFFCUT_HOME="$PWD/.cache" .venv/bin/python /tmp/old/build/build_extension.py --dist /tmp/old-dist
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from extension_browser import DIST, launch_extension, shared_playwright

from .browser import SIZES, make_photo
from .extension import one_run
from tests.e2e._site import serve_site

STATUS = """async () => {
  const reply = await chrome.runtime.sendMessage({target: 'background', type: 'get-status', payload: {}});
  return reply.ok ? reply.result : null; }"""


def first_use(browser) -> dict:
    """install-model of the recommended row, then the boot that assembles its graph (the warm-up the
    download starts; get-status, asked from an extension page, waits for it)."""
    page = browser.context.new_page()
    page.goto(browser.url("popup.html"))
    started = time.perf_counter()
    installed = browser.install_best_model()
    downloaded = time.perf_counter()
    assert installed.get("status") == "stored", installed
    while True:
        status = page.evaluate(STATUS)
        if status and status.get("graphFrom") in ("assembled", "store") and status.get("model") == installed["model"]:
            break
        time.sleep(0.05)
    booted = time.perf_counter()
    page.close()
    return {"download": downloaded - started, "first_boot": booted - downloaded, "graph_from": status["graphFrom"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, required=True, help="the earlier build's dist/")
    parser.add_argument("--dist", type=Path, default=DIST, help="this build's dist/")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--photo", choices=sorted(SIZES), default="12mp")
    parser.add_argument("--no-first-use", action="store_true",
                        help="the old build predates the model store (its graph ships whole): cold and warm only")
    args = parser.parse_args()
    builds = {"old": args.against.resolve(), "new": args.dist.resolve()}
    scratch = Path(tempfile.mkdtemp(prefix="offcut-bench-builds-"))
    site = serve_site(scratch / "site")
    src = site.url(make_photo(scratch / "site", args.photo).name)
    playwright = shared_playwright()
    results = {name: {"first_use": [], "cold": [], "warm": []} for name in builds}
    for trial in range(0 if args.no_first_use else args.runs):  # a fresh profile each time; the order alternates
        for name in (list(builds) if trial % 2 == 0 else list(reversed(builds))):
            with launch_extension(playwright, scratch / f"first-{name}-{trial}", dist=builds[name],
                                  best_model=False) as browser:
                results[name]["first_use"].append(first_use(browser))
    with ExitStack() as stack:
        browsers, pages, tabs = {}, {}, {}
        for name, dist in builds.items():
            browsers[name] = stack.enter_context(
                launch_extension(playwright, scratch / f"profile-{name}", dist=dist, best_model=False))
            pages[name] = browsers[name].context.new_page()
            pages[name].goto(f"{site.page_origin.base}/index.html?other={site.image_origin.base}")
            tabs[name] = browsers[name].tab_id(pages[name])
        for name in builds:  # the model stored, its graph assembled (a build with a model store)
            if browsers[name].worker.evaluate("() => Boolean(self.offcut.installModel)"):
                first_use(browsers[name])
        for mode in ("cold", "warm"):
            for _ in range(args.runs):
                for name in builds:
                    row = one_run(browsers[name], src, pages[name], tabs[name], cold=mode == "cold")
                    results[name][mode].append(row)
    report(results, args.photo)


def report(results: dict, photo: str) -> None:
    for name, rows in results.items():
        uses = rows["first_use"]
        if not uses:
            continue
        download = statistics.median(use["download"] for use in uses)
        boot = statistics.median(use["first_boot"] for use in uses)
        print(f"{name}: first use (median of {len(uses)} fresh profiles): download + checks + store {download:.2f} s, "
              f"then the first boot ({uses[0]['graph_from']}) {boot:.2f} s  "
              f"(runs {[(round(use['download'], 2), round(use['first_boot'], 2)) for use in uses]})")
    for mode in ("cold", "warm"):
        # The boot a cold job waited for beyond its own stages, and the graph run.
        hidden = {name: statistics.median(r["other"] for r in rows[mode]) for name, rows in results.items()}
        graph = {name: statistics.median(r["graph"] for r in rows[mode]) for name, rows in results.items()}
        print(f"{photo} {mode}: not in any stage (boot, messaging) old {hidden['old']:.2f} s, "
              f"new {hidden['new']:.2f} s; graph old {graph['old']:.2f} s, new {graph['new']:.2f} s")
        medians = {name: statistics.median(r["click_to_file"] for r in rows[mode]) for name, rows in results.items()}
        runs = {name: [round(r["click_to_file"], 2) for r in rows[mode]] for name, rows in results.items()}
        print(f"{photo} {mode} click-to-file: old {medians['old']:.2f} s, new {medians['new']:.2f} s, "
              f"new/old ×{medians['new'] / medians['old']:.2f}  (runs {runs})")


if __name__ == "__main__":
    main()
