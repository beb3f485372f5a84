"""The native inference backend: the fused graph on CPython's onnxruntime."""

from __future__ import annotations

import os

import numpy as np
import onnxruntime as ort

from ._backend import GraphOutputs
from ._image import RgbaImage
from ._png_write import PNG_FILTER_UP
from ._store import ensure_fused_graph
from .catalog import ModelSpec

__all__ = ["OnnxRuntimeBackend", "rgba_array"]


class OnnxRuntimeBackend:
    def __init__(self, spec: ModelSpec, threads: int | None = None) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.spec = spec
        self.name = "onnxruntime-cpu"
        self._session = ort.InferenceSession(
            str(ensure_fused_graph(spec)), options, providers=["CPUExecutionProvider"]
        )

    async def run_graph(self, image: RgbaImage) -> GraphOutputs:
        return self.run_graph_sync(image)

    def run_graph_sync(self, image: RgbaImage) -> GraphOutputs:
        pixels = np.frombuffer(image.pixels, dtype=np.uint8).reshape(image.height, image.width, 4)
        png_rows, alpha = self._session.run(["png_rows", "alpha"], {"image": pixels})
        return GraphOutputs(memoryview(png_rows.reshape(-1)), memoryview(alpha.reshape(-1)))


def rgba_array(png_rows, width: int, height: int) -> np.ndarray:
    """The cutout's pixels, uint8 [height, width, 4], from its "Up"-filtered PNG rows.

    Un-filtering "Up" is a running sum down each column, mod 256: a uint8
    cumulative sum wraps exactly so.
    """
    rows = np.frombuffer(png_rows, np.uint8).reshape(height, 1 + 4 * width)
    if not (rows[:, 0] == PNG_FILTER_UP).all():
        raise ValueError("png_rows has rows whose filter is not Up")
    return np.cumsum(rows[:, 1:], axis=0, dtype=np.uint8).reshape(height, width, 4)
