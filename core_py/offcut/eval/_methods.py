"""The methods an evaluation compares: our fused graph per catalog row, and the anchors."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from .._image import RgbaImage
from ._anchors import ANCHORS

__all__ = ["Method", "pipeline_method", "anchor_method"]

#: rgba uint8 [H, W, 4] → cutout uint8 [H, W, 4] (straight alpha)
Method = Callable[[np.ndarray], np.ndarray]


def pipeline_method(model_id: str) -> Method:
    """The fused graph of catalog row ``model_id``, natively (the graph every host runs);
    a research variant such as ``isnet-fusion@1024`` too (``catalog.research_variant``)."""
    from .._native import OnnxRuntimeBackend, rgba_array
    from ..catalog import research_variant

    backend = OnnxRuntimeBackend(research_variant(model_id))

    def run(rgba: np.ndarray) -> np.ndarray:
        height, width = rgba.shape[:2]
        outputs = backend.run_graph_sync(RgbaImage(width, height, np.ascontiguousarray(rgba).tobytes()))
        return rgba_array(outputs.png_rows, width, height)

    return run


def anchor_method(name: str, cache_dir: Path | None = None) -> Method:
    """A peer's method: the photo's RGB with the peer's alpha.

    With ``cache_dir``, each alpha is kept as a PNG named by the SHA-256 of
    the photo's pixels, under a folder named by the digest of the anchors'
    code and of the model file they run: a peer's result never changes for
    the same photo, and recomputing ISNet at 1024² for 300 photos costs many
    minutes. Our own methods are never cached (they are what changes).
    """
    alpha_of = ANCHORS[name]
    folder = cache_dir / f"{name}-{_anchor_digest(name)}" if cache_dir is not None else None

    def run(rgba: np.ndarray) -> np.ndarray:
        cutout = rgba.copy()
        cached = folder / f"{hashlib.sha256(np.ascontiguousarray(rgba).tobytes()).hexdigest()}.png" if folder else None
        if cached is not None and cached.is_file():
            with Image.open(cached) as image:
                cutout[..., 3] = np.asarray(image)
            return cutout
        cutout[..., 3] = alpha_of(rgba)
        if cached is not None:
            folder.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.partial")
            Image.fromarray(cutout[..., 3]).save(partial, format="PNG")
            partial.replace(cached)  # atomic: an interrupted run never leaves a truncated alpha
        return cutout

    return run


def _anchor_digest(name: str) -> str:
    from .. import catalog

    digest = hashlib.sha256(Path(ANCHORS[name].__code__.co_filename).read_bytes())
    digest.update(repr(sorted((spec.id, spec.sha256) for spec in catalog.CATALOG.values())).encode())
    return digest.hexdigest()[:12]
