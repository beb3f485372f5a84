"""The native inference backend: the fused graph on CPython's onnxruntime."""

from __future__ import annotations

import os

import numpy as np
import onnxruntime as ort

from ._backend import GraphOutputs
from ._image import RgbaImage
from ._store import ensure_fused_graph
from .catalog import ModelSpec

__all__ = ["OnnxRuntimeBackend"]


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
        cutout, png_rows = self._session.run(["cutout", "png_rows"], {"image": pixels})
        return GraphOutputs(memoryview(cutout.reshape(-1)), memoryview(png_rows.reshape(-1)))
