"""The methods an evaluation compares: our fused graph per catalog row, and the anchors."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .._image import RgbaImage
from ._anchors import ANCHORS

__all__ = ["Method", "pipeline_method", "anchor_method"]

#: rgba uint8 [H, W, 4] → cutout uint8 [H, W, 4] (straight alpha)
Method = Callable[[np.ndarray], np.ndarray]


def pipeline_method(model_id: str) -> Method:
    """The fused graph of catalog row ``model_id``, natively (the graph every host runs)."""
    from .._native import OnnxRuntimeBackend
    from ..catalog import get_model

    backend = OnnxRuntimeBackend(get_model(model_id))

    def run(rgba: np.ndarray) -> np.ndarray:
        height, width = rgba.shape[:2]
        outputs = backend.run_graph_sync(RgbaImage(width, height, np.ascontiguousarray(rgba).tobytes()))
        return np.frombuffer(outputs.cutout, np.uint8).reshape(height, width, 4).copy()

    return run


def anchor_method(name: str) -> Method:
    """A peer's method: the photo's RGB with the peer's alpha."""
    alpha_of = ANCHORS[name]

    def run(rgba: np.ndarray) -> np.ndarray:
        cutout = rgba.copy()
        cutout[..., 3] = alpha_of(rgba)
        return cutout

    return run
