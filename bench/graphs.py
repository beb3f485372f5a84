"""The speed budget of issue 4, measured where it applies: in the browser.

    python -m bench.graphs [--runs 5] [--models isnet,isnet-fusion] [--graph NAME=FILE.onnx]
                           [--photo 12mp|1mp|small]

A model may carry a grid side, ``isnet-fusion@768``: the same row run on
another grid (``ModelSpec.grid_side``), to price that lever; ``isnet-fusion.float``
is the row with its network in float32 (what WebGPU runs; the int8 lever's price).
``--graph old=/tmp/old-cache/graphs/isnet-fusion-….onnx`` adds a graph file
as it is, e.g. an earlier commit's build of the same row, to price a change
of the graph itself.

Runs the fused graphs of the given catalog rows in headless Chromium through
ONNX Runtime Web's multi-threaded WASM build (the backend this machine's
extension uses), on the same 12 MP photo as bench/native.py, the models
alternating run by run in one page so they share the machine's noise. Prints
each model's median and its ratio to the first. Not a test: timings are
reported, never asserted.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import statistics
import tempfile
import threading
from pathlib import Path

import numpy as np
from PIL import Image

from offcut.catalog import research_variant
from offcut._store import ensure_fused_graph

from .native import bench_photo
from extension_browser import CHROMIUM, shared_playwright

ROOT = Path(__file__).resolve().parents[1]

PAGE = """<!doctype html><meta charset="utf-8"><title>offcut graph benchmark</title>
<script type="module">
  import * as ort from "/ort/ort.wasm.min.mjs";
  ort.env.wasm.numThreads = navigator.hardwareConcurrency;
  ort.env.wasm.wasmPaths = "/ort/";
  window.bench = async (models, width, height, runs) => {
    const pixels = new Uint8Array(await (await fetch("/photo.rgba")).arrayBuffer());
    const image = new ort.Tensor("uint8", pixels, [height, width, 4]);
    const sessions = [];
    for (const id of models) {
      const bytes = new Uint8Array(await (await fetch(`/${id}.onnx`)).arrayBuffer());
      sessions.push(await ort.InferenceSession.create(bytes, { executionProviders: ["wasm"] }));
    }
    const seconds = models.map(() => []);
    for (let run = -1; run < runs; run++) {  // run -1 warms every session up
      for (const [i, session] of sessions.entries()) {
        const started = performance.now();
        const outputs = await session.run({ image });
        if (run >= 0) seconds[i].push((performance.now() - started) / 1000);
        for (const tensor of Object.values(outputs)) tensor.dispose?.();
      }
    }
    return { seconds, threads: ort.env.wasm.numThreads, isolated: crossOriginIsolated };
  };
</script>"""


class _IsolatedHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the cross-origin isolation headers WASM threads need."""

    ort_dir: Path

    def translate_path(self, path):
        if path.startswith("/ort/"):
            return str(self.ort_dir / path[len("/ort/"):])
        return super().translate_path(path)

    def end_headers(self):
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()

    def log_message(self, *args):
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--models", default="isnet,isnet-fusion", help="catalog rows (or variants); '' for none")
    parser.add_argument("--graph", action="append", default=[], metavar="NAME=FILE",
                        help="also a graph file as it is (repeatable)")
    parser.add_argument("--photo", choices=("12mp", "1mp", "small"), default="12mp")
    args = parser.parse_args()
    rows = [model_id for model_id in args.models.split(",") if model_id]
    files = {model_id: ensure_fused_graph(research_variant(model_id)) for model_id in rows}
    for named in args.graph:
        name, _, path = named.partition("=")
        if not path or not Path(path).is_file():
            parser.error(f"--graph {named!r}: NAME=FILE with an existing file")
        files[name] = Path(path)
    models = list(files)
    rgba = bench_photo()
    if args.photo != "12mp":  # the 12 MP photo's aspect: 1224×817, or 600×400 (a typical web image)
        size = (1224, 817) if args.photo == "1mp" else (600, 400)
        rgba = np.asarray(Image.fromarray(rgba).resize(size, Image.Resampling.LANCZOS))
    height, width = rgba.shape[:2]
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        (site / "index.html").write_text(PAGE)
        (site / "photo.rgba").write_bytes(rgba.tobytes())
        for model_id, path in files.items():
            (site / f"{model_id}.onnx").write_bytes(path.read_bytes())
        handler_type = type("Handler", (_IsolatedHandler,),
                            {"ort_dir": ROOT / "node_modules" / "onnxruntime-web" / "dist"})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler_type, directory=folder))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        browser = shared_playwright().chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
            page.wait_for_function("() => window.bench !== undefined")
            result = page.evaluate("([m, w, h, r]) => window.bench(m, w, h, r)", [models, width, height, args.runs])
        finally:
            browser.close()
            server.shutdown()
    print(f"ORT-web WASM, {result['threads']} threads (cross-origin isolated: {result['isolated']}), "
          f"{width}×{height}, median of {args.runs} alternating runs")
    medians = [statistics.median(seconds) for seconds in result["seconds"]]
    for model_id, median, seconds in zip(models, medians, result["seconds"], strict=True):
        runs = json.dumps([round(s, 2) for s in seconds])
        print(f"  {model_id:14} {median:6.2f} s  ×{median / medians[0]:.3f}  runs {runs}")


if __name__ == "__main__":
    main()
