"""Helpers for unit tests: build pipeline inputs and outputs without any runtime."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from offcut import GraphOutputs, RgbaImage


def up_filtered_rows(rgba: np.ndarray) -> bytes:
    """PNG scanlines with filter 2 ("Up"), the same bytes the fused graph emits."""
    rows = rgba.reshape(rgba.shape[0], -1).astype(np.int16)
    above = np.vstack([np.zeros((1, rows.shape[1]), np.int16), rows[:-1]])
    filtered = ((rows - above) & 0xFF).astype(np.uint8)
    return np.hstack([np.full((rows.shape[0], 1), 2, np.uint8), filtered]).tobytes()


def every_value_rgba(width: int = 64, height: int = 48, seed: int = 0) -> np.ndarray:
    """Random RGB with every alpha value 0..255 present, including RGB under alpha 0."""
    rng = np.random.default_rng(seed)
    rgba = rng.integers(0, 256, (height, width, 4), dtype=np.uint8)
    rgba[..., 3].flat[:256] = np.arange(256, dtype=np.uint8)
    return rgba


class FakeBackend:
    """Stands in for onnxruntime: a predictable alpha ramp, RGB passed through."""

    name = "fake"

    def __init__(self) -> None:
        self.calls = 0

    async def run_graph(self, image: RgbaImage) -> GraphOutputs:
        self.calls += 1
        rgba = np.frombuffer(image.pixels, np.uint8).reshape(image.height, image.width, 4).copy()
        ramp = np.linspace(0, 255, image.width).round().astype(np.uint8)
        rgba[..., 3] = ramp[None, :]
        return GraphOutputs(up_filtered_rows(rgba), np.ascontiguousarray(rgba[..., 3]).tobytes())


def run_coroutine(coroutine):
    """``asyncio.run`` in a fresh thread.

    When the whole suite runs in one process, Playwright's sync API (browser
    tests) keeps an event loop running in the main thread, where a second
    ``asyncio.run`` is refused.
    """
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
