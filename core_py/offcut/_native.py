"""The native inference backend: the fused graph on CPython's onnxruntime."""

from __future__ import annotations

import os

import numpy as np
import onnxruntime as ort

from ._backend import GraphOutputs
from ._exporter import ExportOutputs
from ._image import RgbaImage
from ._png_write import PNG_FILTER_UP
from ._store import ensure_fused_graph
from .catalog import ModelSpec

__all__ = ["OnnxRuntimeBackend", "OnnxRuntimeExporter", "rgba_array"]


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


class OnnxRuntimeExporter:
    """The export graph (``offcut.graph._export_graph``) on CPython's onnxruntime.

    Built in memory at first use (a few milliseconds; it holds no weights).
    """

    def __init__(self, threads: int | None = None) -> None:
        from .graph import build_export_graph

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        self.name = "onnxruntime-cpu"
        self._session = ort.InferenceSession(
            build_export_graph().SerializeToString(), options, providers=["CPUExecutionProvider"]
        )

    async def run_export(self, *arguments) -> ExportOutputs:
        return self.run_export_sync(*arguments)

    def run_export_sync(self, png_rows, width: int, height: int, photo: RgbaImage, settings: list[float],
                        channels: int, output: str) -> ExportOutputs:
        feeds = {
            "png_rows": np.frombuffer(png_rows, np.uint8).reshape(height, 1 + 4 * width),
            "photo": np.frombuffer(photo.pixels, np.uint8).reshape(photo.height, photo.width, 4),
            "settings": np.asarray(settings, np.float32),
            "channels": np.asarray([channels], np.int64),
        }
        name = "png_rows_out" if output == "png_rows" else "pixels"
        result, box = self._session.run([name, "box"], feeds)
        rows = result.shape[0]
        columns = (result.shape[1] - 1) // channels if output == "png_rows" else result.shape[1]
        data = memoryview(np.ascontiguousarray(result).reshape(-1))
        return ExportOutputs(int(columns), int(rows), tuple(int(v) for v in box),
                             **{("png_rows" if output == "png_rows" else "pixels"): data})
