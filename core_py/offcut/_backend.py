"""The one interface between the pipeline and an inference runtime.

Like httpx's ``BaseTransport.handle_request``: the pipeline hands a backend
decoded pixels and gets the fused graph's outputs back; it never knows which
runtime ran them. Implementations: ``offcut._native.OnnxRuntimeBackend``
(native onnxruntime), ``offcut._pyodide.OrtWebBackend`` (ONNX Runtime Web,
from Pyodide) and the fake in the unit tests. The method is async because
ONNX Runtime Web's ``session.run`` is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ._image import RgbaImage

__all__ = ["Backend", "GraphOutputs"]


@dataclass(frozen=True)
class GraphOutputs:
    """What the fused graph returns, as flat byte buffers.

    ``png_rows``: ``height * (1 + 4 * width)`` bytes: the straight-alpha RGBA
    cutout as PNG scanlines, each "Up"-filtered (filter byte 2, then each
    byte minus the one above it, mod 256).
    ``alpha``: ``height * width`` bytes, the cutout's alpha channel.
    """

    png_rows: bytes | bytearray | memoryview
    alpha: bytes | bytearray | memoryview


class Backend(Protocol):
    #: Which runtime and device ran, reported with each result (e.g. "onnxruntime-cpu").
    name: str

    async def run_graph(self, image: RgbaImage) -> GraphOutputs: ...
