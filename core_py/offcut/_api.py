"""The native Python API: ``offcut.remove(...)``.

Imports of onnxruntime, numpy and Pillow happen inside the functions, so
``import offcut`` stays importable under Pyodide, where none of them exist.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from ._png_write import DEFAULT_COMPRESSION
from .catalog import DEFAULT_MODEL_ID, get_model

if TYPE_CHECKING:
    from ._decode import ImageSource
    from ._pipeline import Cutout

__all__ = ["remove", "remove_to_cutout"]


def remove(
    source: "ImageSource",
    *,
    model: str = DEFAULT_MODEL_ID,
    output: Literal["png", "rgba"] = "png",
    compression: int = DEFAULT_COMPRESSION,
):
    """Remove the background of one image.

    ``source``: a path, encoded image bytes, or a ``PIL.Image``. Returns the
    verified PNG file as ``bytes`` (``output="png"``) or the cutout as a numpy
    ``uint8`` array of shape ``(height, width, 4)``, straight alpha
    (``output="rgba"``). Raises :class:`offcut.OffcutError` subclasses.
    """
    if output not in ("png", "rgba"):
        raise ValueError(f"output must be 'png' or 'rgba', not {output!r}")
    cutout = remove_to_cutout(source, model=model, compression=compression)
    if output == "png":
        return cutout.png
    from ._native import rgba_array

    return rgba_array(cutout.png_rows, cutout.width, cutout.height)


def remove_to_cutout(source: "ImageSource", *, model: str = DEFAULT_MODEL_ID,
                     compression: int = DEFAULT_COMPRESSION) -> "Cutout":
    """Like :func:`remove`, returning the full :class:`Cutout` (PNG, pixels, report, timings)."""
    from ._decode import decode_image
    from ._pipeline import remove_background_blocking

    backend = _backend_for(model)
    image = decode_image(source)
    threads = os.cpu_count() or 1
    return remove_background_blocking(image, backend, compression=compression, png_threads=threads)


@lru_cache(maxsize=4)
def _backend_for(model_id: str):
    # One session per model per process: creating one costs about a second.
    from ._native import OnnxRuntimeBackend

    return OnnxRuntimeBackend(get_model(model_id))
