"""Offcut against the most-used peer, @imgly/background-removal, in one browser (not a test; run by hand).

    python -m bench.browser [--runs 3] [--sizes 1mp,12mp] [--json PATH]

Both tools run in one headless Debian Chromium (one persistent context, the
built extension loaded), on the same photos, alternating run by run so they
share the machine's noise; figures are reported, never asserted.

- The peer (@imgly/background-removal 1.7.0 with ONNX Runtime Web 1.21.0, its
  pinned peer dependency) runs in a tab on a page served from 127.0.0.1 with
  COOP ``same-origin`` and COEP ``require-corp``, so it gets WASM threads. It
  reads the ISNet fp16 bytes of ``@imgly/background-removal-data`` 1.4.5, the
  model Offcut's graph is built around, served locally: nothing comes from the
  network. Timed: fetch the photo as a blob, ``removeBackground(blob, {device:
  "cpu", model: "isnet_fp16", output: {format: "image/png"}})``, PNG blob in
  hand (click → result).
- Offcut runs through its context-menu handler, clicked on the same photo URL
  on the peer's page; timed from the click to the PNG file saved (click → file).
- Warm: a discarded run of each tool per photo size loads it, then N runs.
  Cold: before each run Offcut's offscreen document is closed, and the peer's
  page is reloaded (its module state, ONNX session and workers are gone).

Peak memory per tool: every 100 ms the browser's processes are read from /proc
and given an owner. Offcut owns the extension renderers (its service worker and
offscreen document; their command line has ``--extension-process``); the peer
owns the renderer of its tab (found by making the page spin for 0.3 s after
each load and seeing whose CPU time rises). Everything else is shared: the
browser process, zygotes, GPU and network/storage utilities, the browser's own
UI renderer and the idle spare renderer Chromium keeps for the next tab. A
tool's peak is the highest sum of shared + its own sampled during its timed
runs; the other tool's renderer, idle but holding its loaded engine, is left
out. The baseline is the sum of all the browser's processes right after launch.
RSS is summed over processes, so pages shared between them count once per
process: an upper bound, the same for both tools.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import hashlib
import http.server
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from extension_browser import ExtensionBrowser, launch_extension, shared_playwright
from PIL import Image
from playwright.sync_api import Page

from ._common import BrowserProcess, Sampler, browser_processes, cpu_seconds, sum_by_role
from tests.e2e._site import LARGE_SIZE, SAMPLES
from .graphs import _IsolatedHandler
from .extension import STAGES, one_run

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "node_modules"
PEER_PACKAGE = NODE_MODULES / "@imgly" / "background-removal"
PEER_DATA_PACKAGE = NODE_MODULES / "@imgly" / "background-removal-data"
PEER_ORT_PACKAGE = NODE_MODULES / "onnxruntime-web-1.21"  # the peer's pinned ORT, under an npm alias
OFFCUT_ISNET_FP16 = ROOT / ".cache" / "models" / "isnet-fp16.onnx"

# All the coffee photo's own 3:2 aspect; small: a typical web image (opt-in: --sizes small,1mp,12mp).
SIZES = {"small": (600, 400), "1mp": (1224, 817), "12mp": LARGE_SIZE}
TOOLS = ("peer", "offcut")

# 1.7.0 asks for new keys; data 1.4.5 lists the same files under the old ones.
PEER_MODEL_KEYS = {"/models/isnet_fp16": "/models/medium", "/models/isnet_quint8": "/models/small"}
PEER_ORT_FILES = {  # what 1.7.0 loads from publicPath instead of from ORT's own folder
    "ort-wasm-simd-threaded.wasm": "application/wasm",
    "ort-wasm-simd-threaded.mjs": "text/javascript",  # imported from a blob: URL, so the blob needs a script type
    "ort-wasm-simd-threaded.jsep.wasm": "application/wasm",
    "ort-wasm-simd-threaded.jsep.mjs": "text/javascript",
}

# The peer's dist/index.mjs bundles everything but onnxruntime-web, which it imports by bare name
# (a bundler would resolve it): an import map resolves it to the files ORT's package.json exports for "import".
PEER_PAGE = """<!doctype html><meta charset="utf-8"><title>peer benchmark</title>
<script type="importmap">{"imports": {"onnxruntime-web": "/ort/ort.bundle.min.mjs",
                                      "onnxruntime-web/webgpu": "/ort/ort.webgpu.bundle.min.mjs"}}</script>
<script type="module">
  import { removeBackground } from "/peer/index.mjs";
  // One object for the page's life: the peer memoises its engine on the config's JSON.
  const config = { publicPath: new URL("/peer-data/", location.href).href, device: "cpu",
                   model: "isnet_fp16", output: { format: "image/png" } };
  window.cutOut = async (photoUrl) => {
    const started = performance.now();
    const photo = await (await fetch(photoUrl)).blob();
    const png = await removeBackground(photo, config);
    const seconds = (performance.now() - started) / 1000;
    const header = new DataView(await png.slice(0, 24).arrayBuffer());  // PNG signature, then IHDR
    return { seconds, type: png.type, bytes: png.size, width: header.getUint32(16), height: header.getUint32(20) };
  };
  // The same module instance as the peer's: ORT writes back 1 thread when isolation is missing.
  window.threading = async () => ({ crossOriginIsolated,
                                    threads: (await import("onnxruntime-web")).default.env.wasm.numThreads });
</script>"""

MEMORY_DEFINITION = """
peak RSS: the highest sum, sampled every 100 ms during a tool's timed runs, of the browser's shared processes
(browser, zygotes, GPU, utilities, its UI and spare renderers) and the tool's own renderers (Offcut: the extension
renderer holding its service worker and offscreen document; peer: its tab's renderer). The other tool's renderer,
idle but holding its loaded engine, is left out. RSS is summed over processes: pages they share count once each."""


def package_version(package: Path) -> str:
    return json.loads((package / "package.json").read_text())["version"]


def make_photo(folder: Path, size: str) -> Path:
    """The coffee photo resized as the test site makes its 12 MP one (same resampling and quality)."""
    path = folder / f"coffee-{size}.jpg"
    coffee = Image.open(SAMPLES / "coffee.png").convert("RGB")
    coffee.resize(SIZES[size], Image.Resampling.LANCZOS).save(path, quality=90)
    return path


def peer_resources(data_mount: str, ort_mount: str) -> dict:
    """resources.json in 1.7.0's format: key → {chunks: [{name, offsets}], size, mime}.

    Chunk names are paths on the bench server (1.7.0 resolves them against publicPath). The model keeps the data
    package's own ≤ 4 MiB chunks, named by their SHA-256; each ORT file is one whole chunk (1.7.0 joins whatever
    chunks it is given and checks only their sizes).
    """
    data = json.loads((PEER_DATA_PACKAGE / "dist" / "resources.json").read_text())
    resources = {}
    for key, old_key in PEER_MODEL_KEYS.items():
        entry = data[old_key]
        chunks = [{"name": f"{data_mount}{chunk['hash']}", "offsets": chunk["offsets"]} for chunk in entry["chunks"]]
        resources[key] = {"chunks": chunks, "size": entry["size"], "mime": entry["mime"]}
    for name, mime in PEER_ORT_FILES.items():
        size = (PEER_ORT_PACKAGE / "dist" / name).stat().st_size
        resources[f"/onnxruntime-web/{name}"] = {
            "chunks": [{"name": f"{ort_mount}{name}", "offsets": [0, size]}], "size": size, "mime": mime}
    return resources


def peer_model_sha256() -> str:
    """SHA-256 of the model the peer assembles from the data package's chunks."""
    digest = hashlib.sha256()
    entry = json.loads((PEER_DATA_PACKAGE / "dist" / "resources.json").read_text())["/models/medium"]
    for chunk in entry["chunks"]:
        digest.update((PEER_DATA_PACKAGE / "dist" / chunk["hash"]).read_bytes())
    return digest.hexdigest()


def build_site(folder: Path, sizes: list[str]) -> dict[str, Path]:
    """The peer's page, its publicPath folder and the photos; returns size → photo."""
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(PEER_PAGE)
    (folder / "peer").symlink_to(PEER_PACKAGE / "dist")
    (folder / "imgly-data").symlink_to(PEER_DATA_PACKAGE / "dist")
    (folder / "peer-data").mkdir()
    (folder / "peer-data" / "resources.json").write_text(json.dumps(peer_resources("/imgly-data/", "/ort/")))
    return {size: make_photo(folder, size) for size in sizes}


def serve_isolated(folder: Path) -> str:
    """Serves ``folder`` (and /ort/ from the peer's ORT) with COOP/COEP; returns the base URL."""
    handler = type("Handler", (_IsolatedHandler,), {"ort_dir": PEER_ORT_PACKAGE / "dist"})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def sum_by_owner(processes: list[BrowserProcess], peer_renderer: int | None) -> dict[str, int]:
    """Offcut owns the extension renderers, the peer its tab's renderer; the rest is shared, including
    idle renderers (the spare one Chromium keeps ready for the next tab)."""
    totals = dict.fromkeys(("shared", *TOOLS), 0)
    for process in processes:
        owner = "offcut" if process.role == "extension" else "peer" if process.pid == peer_renderer else "shared"
        totals[owner] += process.rss
    return totals


def busiest_page_renderer(page: Page, root_pid: int) -> int:
    """The renderer that hosts ``page``: the one whose CPU time rises while the page spins for 0.3 s."""
    renderers = [process.pid for process in browser_processes(root_pid) if process.role == "page"]
    before = {pid: cpu_seconds(pid) for pid in renderers}
    page.evaluate("() => { const end = performance.now() + 300; while (performance.now() < end); }")
    return max(renderers, key=lambda pid: cpu_seconds(pid) - before[pid])


class ToolMemory(Sampler):
    """Peak of (shared processes + the tool's own renderers) per phase, sampled while a phase is on."""

    def __init__(self, root_pid: int):
        super().__init__()
        self.root_pid = root_pid
        self.peer_renderer: int | None = None  # pid of the renderer hosting the peer's tab
        self.phase: tuple[str, str, str] | None = None  # (size, mode, tool) of the run going on
        self.peaks: dict[tuple[str, str, str], dict[str, int]] = {}

    def snapshot(self) -> dict[str, int]:
        return sum_by_role(browser_processes(self.root_pid))

    def sample(self) -> None:
        phase = self.phase
        if phase is None:
            return
        by_owner = sum_by_owner(browser_processes(self.root_pid), self.peer_renderer)
        total = by_owner["shared"] + by_owner[phase[2]]
        if total > self.peaks.get(phase, {}).get("total", 0):
            self.peaks[phase] = {"total": total, "shared": by_owner["shared"], "own": by_owner[phase[2]]}

    @contextmanager
    def attributed_to(self, size: str, mode: str, tool: str):
        self.phase = (size, mode, tool)
        try:
            yield
        finally:
            self.phase = None


class Contest:
    """The two tools in one browser: the peer in ``page``, Offcut clicked on the photo on that same page."""

    def __init__(self, browser: ExtensionBrowser, base_url: str, memory: ToolMemory):
        self.browser, self.base_url, self.memory = browser, base_url, memory
        self.page = browser.context.pages[0] if browser.context.pages else browser.context.new_page()
        self.page.goto(f"{base_url}/index.html")
        self.page_loaded()
        self.tab = browser.tab_id(self.page)

    def page_loaded(self) -> None:
        self.page.wait_for_function("() => window.cutOut !== undefined")
        # A (re)load may move the page to another renderer (Chromium hands it the spare one).
        self.memory.peer_renderer = busiest_page_renderer(self.page, self.memory.root_pid)

    def run(self, tool: str, photo: Path, cold: bool) -> dict:
        url = f"{self.base_url}/{photo.name}"
        return self.run_peer(url, cold) if tool == "peer" else one_run(self.browser, url, self.page, self.tab, cold)

    def run_peer(self, url: str, cold: bool) -> dict:
        if cold:  # a fresh page: the peer's module state, ONNX session and workers are gone
            self.page.reload()
            self.page_loaded()
        started = time.perf_counter()
        result = self.page.evaluate("(url) => window.cutOut(url)", url)
        total = time.perf_counter() - started
        return {"click_to_file": total, "in_page": result["seconds"], "png": result}

    def threading(self) -> dict:
        return self.page.evaluate("() => window.threading()")


def check_output(tool: str, row: dict, photo_size: tuple[int, int]) -> None:
    """A wrong or missing cutout is a broken harness, not a figure: stop."""
    if tool == "peer":
        png = row["png"]
        if png["type"] != "image/png" or (png["width"], png["height"]) != photo_size:
            raise RuntimeError(f"the peer returned {png}, expected a {photo_size} PNG")


def measure_size(contest: Contest, size: str, photo: Path, runs: int) -> dict:
    """Warm then cold runs of both tools on one photo, alternating; returns mode → tool → list of rows."""
    results = {mode: {tool: [] for tool in TOOLS} for mode in ("warm", "cold")}
    for tool in TOOLS:  # load each tool (and size its buffers for this photo); discarded
        timed(contest, size, "warm-up", tool, photo, cold=False)
    for mode in ("warm", "cold"):
        for round_number in range(runs):
            # Who goes first swaps each round, so neither always runs right after the other.
            order = TOOLS if round_number % 2 == 0 else TOOLS[::-1]
            for tool in order:
                with contest.memory.attributed_to(size, mode, tool):
                    results[mode][tool].append(timed(contest, size, mode, tool, photo, cold=mode == "cold"))
    return results


def timed(contest: Contest, size: str, mode: str, tool: str, photo: Path, cold: bool) -> dict:
    row = contest.run(tool, photo, cold)
    check_output(tool, row, SIZES[size])
    print(f"  {size} {mode:7} {tool:6} {row['click_to_file']:6.2f} s", file=sys.stderr, flush=True)
    return row


def environment(browser: ExtensionBrowser) -> dict:
    session = browser.context.new_cdp_session(browser.context.pages[0])
    product = session.send("Browser.getVersion")["product"]  # "Chrome/156.0.…"
    session.detach()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown")
    return {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "nproc": len(os.sched_getaffinity(0)), "cpu": cpu, "chromium": product.split("/")[-1]}


def gib(size: int) -> str:
    return f"{size / 2**30:.2f} GiB"


def summarise(results: dict, peaks: dict) -> dict:
    """Medians, ratio and peaks per size and mode."""
    summary = {}
    for size, modes in results.items():
        for mode, tools in modes.items():
            medians = {tool: statistics.median(row["click_to_file"] for row in rows) for tool, rows in tools.items()}
            stages = {stage: statistics.median(row[stage] for row in tools["offcut"]) for stage in (*STAGES, "other")}
            summary[f"{size} {mode}"] = {
                "runs": {tool: [round(row["click_to_file"], 2) for row in rows] for tool, rows in tools.items()},
                "median_s": medians,
                "ratio_offcut_to_peer": medians["offcut"] / medians["peer"],
                "peak_rss": {tool: peaks.get((size, mode, tool)) for tool in TOOLS},
                "offcut_stages_median_s": stages,
                "offcut_backend": tools["offcut"][0]["backend"],
            }
    return summary


def report(info: dict, summary: dict) -> None:
    env, peer = info["environment"], info["peer"]
    print(f"Offcut vs @imgly/background-removal {peer['version']}, one headless Chromium, runs alternating")
    print(f"date {env['date']}  nproc {env['nproc']}  CPU {env['cpu']}  Chromium {env['chromium']}  "
          f"load average at start {env['load_1min']:.2f}, at end {env['load_1min_end']:.2f}")
    print(f"peer:   ORT-web {peer['ort']} WASM, crossOriginIsolated {str(peer['crossOriginIsolated']).lower()}, "
          f"{peer['threads']} threads; ISNet fp16 from @imgly/background-removal-data {peer['data']} "
          f"(same bytes as Offcut's isnet-fp16.onnx: {'yes' if peer['same_model_bytes'] else 'NO'})")
    print(f"offcut: {next(iter(summary.values()))['offcut_backend']}, default model, context menu → saved file")
    base = info["baseline"]
    print(f"browser baseline (launched, neither tool loaded): {gib(sum(base.values()))} "
          f"(shared {gib(base['shared'])}, extension {gib(base['extension'])}, pages {gib(base['page'])})")
    for name, row in summary.items():
        size = name.split()[0]
        print(f"\n{name} ({SIZES[size][0]}×{SIZES[size][1]}), median of {len(row['runs']['peer'])}")
        print(f"  {'tool':7} {'median':>8}  {'peak RSS (own renderers)':>26}  runs (s)")
        for tool in TOOLS:
            peak = row["peak_rss"][tool]
            memory = f"{gib(peak['total'])} ({gib(peak['own'])})" if peak else "-"
            print(f"  {tool:7} {row['median_s'][tool]:6.2f} s  {memory:>26}  {row['runs'][tool]}")
        print(f"  offcut/peer ×{row['ratio_offcut_to_peer']:.2f} (<1: Offcut faster)")
        print("  offcut stages (median s): " + ", ".join(
            f"{stage} {seconds:.2f}" for stage, seconds in row["offcut_stages_median_s"].items()))
    print(MEMORY_DEFINITION)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per tool, size and mode")
    parser.add_argument("--sizes", default="1mp,12mp", help=f"comma-separated, from {', '.join(SIZES)}")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args()
    args.sizes = args.sizes.split(",")
    if unknown := [size for size in args.sizes if size not in SIZES]:
        parser.error(f"unknown size(s) {unknown}; known: {list(SIZES)}")
    return args


def main() -> None:
    args = parse_args()
    load_at_start = os.getloadavg()[0]  # other work on the machine skews both tools: say how much there was
    scratch = Path(tempfile.mkdtemp(prefix="offcut-bench-browser-"))
    photos = build_site(scratch / "site", args.sizes)
    base_url = serve_isolated(scratch / "site")
    with launch_extension(shared_playwright(), scratch / "profile") as browser, ToolMemory(os.getpid()) as memory:
        time.sleep(2)  # let the freshly started browser and service worker settle before the baseline
        info = {"environment": {**environment(browser), "load_1min": load_at_start}, "baseline": memory.snapshot()}
        contest = Contest(browser, base_url, memory)
        results = {size: measure_size(contest, size, photo, args.runs) for size, photo in photos.items()}
        info["peer"] = {**contest.threading(), "version": package_version(PEER_PACKAGE),
                        "ort": package_version(PEER_ORT_PACKAGE), "data": package_version(PEER_DATA_PACKAGE)}
    info["environment"]["load_1min_end"] = os.getloadavg()[0]
    shutil.rmtree(scratch, ignore_errors=True)  # photos, the profile and its caches: nothing is kept
    info["peer"]["same_model_bytes"] = (OFFCUT_ISNET_FP16.is_file() and peer_model_sha256() == hashlib.sha256(
        OFFCUT_ISNET_FP16.read_bytes()).hexdigest())
    summary = summarise(results, memory.peaks)
    report(info, summary)
    if args.json:
        rows = {size: {mode: dict(tools) for mode, tools in modes.items()} for size, modes in results.items()}
        args.json.write_text(json.dumps({**info, "summary": summary, "runs": rows}, indent=1, default=str))


if __name__ == "__main__":
    main()
