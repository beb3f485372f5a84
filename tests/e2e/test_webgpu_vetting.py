"""WebGPU vetting: Chromium here exposes only SwiftShader's fallback adapter; it must be refused."""

from __future__ import annotations

import pytest

from extension_browser import launch_extension

pytestmark = pytest.mark.browser


def test_fallback_adapter_is_refused_and_wasm_runs(playwright, tmp_path):
    with launch_extension(playwright, tmp_path, extra_args=("--enable-unsafe-webgpu",)) as browser:
        page = browser.context.new_page()
        page.goto(browser.url("popup.html"))
        cores = page.evaluate("navigator.hardwareConcurrency")
        reply = page.evaluate("() => chrome.runtime.sendMessage({target: 'background', type: 'get-status', payload: {}})")
    assert reply["ok"], reply
    status = reply["result"]
    assert status["webgpu"]["available"] is True, "the flag should expose an adapter to vet"
    assert status["webgpu"]["isFallbackAdapter"] is True
    assert status["backend"] == "onnxruntime-web-wasm"
    assert status["crossOriginIsolated"] is True and status["threads"] == min(8, cores)
