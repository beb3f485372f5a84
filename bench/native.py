"""Native benchmark: fused graph per model and PNG encoding, on a 12 MP photo.

    .venv/bin/python bench/native.py [--runs 5] [--models isnet,u2netp]

Prints medians of N runs measured side by side in one process. Not a test:
timings on a shared 2-core machine are noisy, so they are reported, never
asserted. The photo is scikit-image's coffee.png (CC0) upscaled to 4000×3000
with Lanczos plus mild sensor-like noise, so PNG sizes are not flattered.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "core_py"))

from offcut import CATALOG, DEFAULT_MODEL_ID, RgbaImage, check_png, get_model, write_png  # noqa: E402
from offcut._native import OnnxRuntimeBackend, rgba_array  # noqa: E402


def bench_photo(width: int = 4000, height: int = 3000) -> np.ndarray:
    import skimage.data

    source = Path(skimage.data.__file__).parent / "coffee.png"
    rgb = np.asarray(Image.open(source).convert("RGB").resize((width, height), Image.Resampling.LANCZOS))
    noise = np.random.default_rng(0).normal(0, 2.0, rgb.shape)
    rgb = np.clip(rgb + noise, 0, 255).astype(np.uint8)
    return np.dstack([rgb, np.full((height, width), 255, np.uint8)])


def median_seconds(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--models", default=",".join(CATALOG))
    args = parser.parse_args()
    rgba = bench_photo()
    image = RgbaImage(rgba.shape[1], rgba.shape[0], rgba.tobytes())
    print(f"photo: {image.width}×{image.height}, median of {args.runs} runs")
    # The models take turns run by run, so they share the machine's noise and
    # their ratios hold even when the absolute times drift.
    backends = {model_id: OnnxRuntimeBackend(get_model(model_id)) for model_id in args.models.split(",")}
    outputs = {model_id: backend.run_graph_sync(image) for model_id, backend in backends.items()}  # warm-up
    times: dict[str, list[float]] = {model_id: [] for model_id in backends}
    for _ in range(args.runs):
        for model_id, backend in backends.items():
            started = time.perf_counter()
            outputs[model_id] = backend.run_graph_sync(image)
            times[model_id].append(time.perf_counter() - started)
    baseline = statistics.median(times["isnet"]) if "isnet" in times else None
    for model_id, seconds in times.items():
        ratio = f"  ×{statistics.median(seconds) / baseline:.3f} of isnet" if baseline else ""
        print(f"graph {model_id:14} {statistics.median(seconds):6.2f} s{ratio}")
    outputs = outputs[DEFAULT_MODEL_ID if DEFAULT_MODEL_ID in outputs else next(iter(outputs))]
    cutout = rgba_array(outputs.png_rows, image.width, image.height)
    threads = os.cpu_count() or 1
    for level, workers in ((1, 1), (3, 1), (6, 1), (3, threads)):
        seconds, png = median_seconds(
            lambda level=level, workers=workers: write_png(outputs.png_rows, image.width, image.height, level, workers),
            args.runs
        )
        print(f"offcut PNG level {level}, {workers} thread(s): {seconds:6.2f} s  {len(png) / 1e6:6.2f} MB")
    seconds, _ = median_seconds(
        lambda: check_png(png, outputs.png_rows, outputs.alpha, image.width, image.height), args.runs)
    print(f"offcut PNG check:   {seconds:6.2f} s")

    def pillow_default() -> bytes:
        buffer = io.BytesIO()
        Image.fromarray(cutout).save(buffer, "PNG")
        return buffer.getvalue()

    seconds, pillow_png = median_seconds(pillow_default, args.runs)
    print(f"Pillow PNG default: {seconds:6.2f} s  {len(pillow_png) / 1e6:6.2f} MB")


if __name__ == "__main__":
    main()
