"""The offcut package as shipped, under Pyodide in Chromium: stdlib only, PNG
writer and check, and the whole pipeline on ORT-web with the u2netp graph."""

from __future__ import annotations

import base64
import io
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from PIL import Image

from ..conftest import photo_path
from .conftest import run_python

pytestmark = pytest.mark.browser


def test_package_imports_with_the_standard_library_only(pyodide_page):
    loaded = run_python(pyodide_page, """
import sys, offcut, offcut._pyodide
sorted({name.split(".")[0] for name in sys.modules} & {"numpy", "PIL", "onnxruntime", "onnx"}) + [offcut.__version__]
""")
    assert loaded == ["0.1.0"]


def test_png_writer_and_check_round_trip(pyodide_page):
    encoded = run_python(pyodide_page, """
import base64, random
from offcut import write_png, check_png
width, height = 37, 23
random.seed(3)
cutout = bytes(random.randrange(256) for _ in range(width * height * 4))
rows = b"".join(b"\\0" + cutout[y * width * 4:(y + 1) * width * 4] for y in range(height))  # filter None
png = write_png(rows, width, height)
report = check_png(png, rows, cutout[3::4], width, height)
base64.b64encode(png + cutout).decode()
""")
    data = base64.b64decode(encoded)
    cutout = np.frombuffer(data[-37 * 23 * 4:], np.uint8).reshape(23, 37, 4)
    decoded = np.array(Image.open(io.BytesIO(data[:-37 * 23 * 4])))
    assert decoded.shape == (23, 37, 4)
    assert np.array_equal(decoded, cutout), "Pillow decodes a different image than Pyodide wrote"


def test_pipeline_on_ort_web_matches_native(pyodide_page):
    import offcut

    path = photo_path("coffee")
    rgba = np.array(Image.open(path).convert("RGBA"))
    summary, png = run_pipeline(pyodide_page, rgba)
    assert summary["backend"] == "onnxruntime-web-wasm"
    assert {"graph", "encode", "check", "python"} <= set(summary["timings"])
    browser_alpha = np.array(Image.open(io.BytesIO(png)))[..., 3]
    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API holds this thread's event loop
        native = pool.submit(offcut.remove, path, model="u2netp", output="rgba").result()
    difference = np.abs(browser_alpha.astype(np.int16) - native[..., 3]).mean()
    assert difference <= 2, f"ORT-web under Pyodide differs from native by {difference:.2f}/255"


def test_pipeline_reports_a_too_small_image_as_data(pyodide_page):
    summary, _ = run_pipeline(pyodide_page, np.zeros((1, 1, 4), np.uint8))
    assert summary["code"] == "bad-image" and "1×1" in summary["message"]


def run_pipeline(page, rgba: np.ndarray):
    height, width = rgba.shape[:2]
    result = page.evaluate(
        """async ([b64, width, height]) => {
            const pyodide = await window.boot;
            const host = pyodide.pyimport("offcut._pyodide");
            if (!window.backendOpened) {
                const ort = await import("/ort/ort.wasm.min.mjs");
                ort.env.wasm.wasmPaths = "/ort/";
                ort.env.wasm.numThreads = 1;
                const graph = new Uint8Array(await (await fetch("/u2netp.onnx")).arrayBuffer());
                await host.open_backend(ort, graph, host.choose_provider({threads: 1, webgpu: {available: false}}), 1);
                window.backendOpened = true;
            }
            const pixels = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const out = await host.process(pixels, width, height);
            if (out.error) return [out.error, null];
            // The file comes as its pieces (whole chunks), as the engine makes its Blob from them.
            const file = new Uint8Array(await new Blob(out.png).arrayBuffer());
            let binary = "";
            for (let i = 0; i < file.length; i += 0x8000) binary += String.fromCharCode(...file.subarray(i, i + 0x8000));
            return [out.summary, btoa(binary)];
        }""",
        [base64.b64encode(rgba.tobytes()).decode(), width, height],
    )
    summary, png = result
    return summary, (base64.b64decode(png) if png else None)
