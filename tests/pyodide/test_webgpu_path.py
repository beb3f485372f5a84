"""The WebGPU path, run for real on the only adapter headless Chromium has.

SwiftShader's software adapter is refused in production (choose_provider);
the test-only switch ``allow_fallback_adapter`` lets the same Python host
open the fused graph on ORT-web's WebGPU execution provider, so every op of
the graph must run there (an unimplemented attribute fails the run) and the
result must match the WASM provider's, also with ORT-web in a worker of its
own as the extension runs it (ort_remote.js). The node placement ONNX Runtime
reports is written to test-artifacts/ for the README.
"""

from __future__ import annotations

import base64

import numpy as np
import pytest
from PIL import Image

from ..conftest import photo_path
from .conftest import open_pyodide_page

pytestmark = pytest.mark.browser

RUN_BOTH = """async ([b64, width, height]) => {
    const pyodide = await window.boot;
    const host = pyodide.pyimport("offcut._pyodide");
    const graph = new Uint8Array(await (await fetch("/u2netp.onnx")).arrayBuffer());
    const adapter = await navigator.gpu.requestAdapter();
    const caps = {threads: 1, requiredFeatures: [], webgpu: {available: Boolean(adapter),
        isFallbackAdapter: Boolean(adapter?.info?.isFallbackAdapter), features: [...(adapter?.features ?? [])]}};
    const chosen = {product: host.choose_provider(caps), testSwitch: host.choose_provider.callKwargs(caps, {allow_fallback_adapter: true})};
    const pixels = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const results = {};
    const png64 = async (pieces) => {  // the file comes as its pieces (whole chunks)
        const png = new Uint8Array(await new Blob(pieces).arrayBuffer());
        let binary = "";
        for (let i = 0; i < png.length; i += 0x8000) binary += String.fromCharCode(...png.subarray(i, i + 0x8000));
        return btoa(binary);
    };
    for (const provider of ["wasm", chosen.testSwitch]) {
        const ort = await import(provider === "webgpu" ? "/ort/ort.webgpu.min.mjs" : "/ort/ort.wasm.min.mjs");
        ort.env.wasm.wasmPaths = "/ort/";
        ort.env.wasm.numThreads = 1;
        ort.env.logLevel = provider === "webgpu" ? "verbose" : "warning";
        const backend = await host.open_backend.callKwargs(ort, graph, provider, 1, {log_placement: provider === "webgpu"});
        const out = await host.process(pixels, width, height);
        if (out.error) return {chosen, error: out.error};
        results[provider] = {backend, png: await png64(out.png)};
    }
    // As the extension runs it: ORT-web in a worker of its own (ort_remote.js), driven by the same Python.
    // The fed pixels move to that worker, so it gets a copy.
    const {RemoteOrt} = await import("/ort_remote.js");
    const remote = new RemoteOrt("/ort/ort.webgpu.min.mjs", 1);
    const backend = await host.open_backend(remote, graph, chosen.testSwitch, 1);
    const out = await host.process(pixels.slice(), width, height);
    if (out.error) return {chosen, error: out.error};
    results[`${chosen.testSwitch} in its worker`] = {backend, png: await png64(out.png)};
    return {chosen, results};
}"""


def test_u2netp_graph_on_webgpu_matches_wasm(pyodide_site, artifacts_dir):
    import io

    rgba = np.array(Image.open(photo_path("coffee")).convert("RGBA").resize((150, 100), Image.Resampling.LANCZOS))
    browser, page = open_pyodide_page(pyodide_site, "--enable-unsafe-webgpu")
    log: list[str] = []
    page.on("console", lambda message: log.append(message.text))
    try:
        outcome = page.evaluate(RUN_BOTH, [base64.b64encode(rgba.tobytes()).decode(), 150, 100])
    finally:
        browser.close()
    placement = [line for line in log if "placed on" in line]
    (artifacts_dir / "webgpu-placement-u2netp.txt").write_text("\n".join(placement) + "\n")

    assert outcome["chosen"] == {"product": "wasm", "testSwitch": "webgpu"}, outcome["chosen"]
    assert "error" not in outcome, outcome.get("error")
    alphas = {}
    for name, result in outcome["results"].items():
        assert result["backend"] == f"onnxruntime-web-{name.split()[0]}"
        alphas[name] = np.array(Image.open(io.BytesIO(base64.b64decode(result["png"]))))[..., 3].astype(int)
    assert set(alphas) == {"wasm", "webgpu", "webgpu in its worker"}
    difference = np.abs(alphas["webgpu"] - alphas["wasm"])
    assert difference.max() <= 2, f"WebGPU alpha differs from WASM by up to {difference.max()}/255"
    np.testing.assert_array_equal(alphas["webgpu in its worker"], alphas["webgpu"])
    assert any("placed on [WebGpuExecutionProvider]" in line for line in placement), placement
