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
    from ._export import ExportOptions
    from ._exporter import ExportedPicture
    from ._image import RgbaImage
    from ._pipeline import Cutout

__all__ = ["remove", "remove_to_cutout", "export_cutout"]


def remove(
    source: "ImageSource",
    *,
    model: str = DEFAULT_MODEL_ID,
    output: Literal["png", "rgba", "file"] = "png",
    compression: int = DEFAULT_COMPRESSION,
    background: str = "transparent",
    crop: str | None = None,
    format: str = "png",
    max_size: int | None = None,
    only_mask: bool = False,
):
    """Remove the background of one image.

    ``source``: a path, encoded image bytes, or a ``PIL.Image``. Returns the
    verified file as ``bytes`` (``output="png"`` or ``"file"``: the same thing,
    in ``format``) or the picture as a numpy ``uint8`` array of shape
    ``(height, width, 4)``, straight alpha (``output="rgba"``).

    The picture: ``background`` "transparent", "blur" (the photo, blurred) or
    a colour "#rrggbb"; ``crop`` None (the whole photo) or a margin around the
    subject ("5%" of its box's longer side, "20px"); ``max_size`` the longest
    side in pixels (never enlarged); ``format`` "png", "webp" (lossless) or
    "jpeg"; ``only_mask`` the alpha alone, as grey. Raises
    :class:`offcut.OffcutError` subclasses (``ExportOptionsError`` for options
    that make no picture, such as a transparent JPEG).
    """
    from ._export import ExportOptions

    if output not in ("png", "rgba", "file"):
        raise ValueError(f"output must be 'png', 'file' or 'rgba', not {output!r}")
    options = ExportOptions.from_cli(background=background, crop=crop, format=format, max_size=max_size,
                                     only_mask=only_mask)
    image, cutout = decode_and_cut(source, model, compression)
    if options.is_plain:
        if output != "rgba":
            return cutout.png
        from ._native import rgba_array

        return rgba_array(cutout.png_rows, cutout.width, cutout.height)
    if output == "rgba":
        options = ExportOptions(options.background, options.crop, "webp", options.max_size, options.only_mask)
    picture = export_cutout(cutout, options, image, compression=compression)
    if output != "rgba":
        return picture.data
    import numpy as np

    return np.frombuffer(picture.pixels, np.uint8).reshape(picture.height, picture.width, 4)


def export_cutout(cutout: "Cutout", options: "ExportOptions", photo: "RgbaImage | None" = None, *,
                  compression: int = DEFAULT_COMPRESSION) -> "ExportedPicture":
    """A cutout as the picture ``options`` ask for, its file encoded and verified
    (``.data``); ``photo`` is the decoded original, needed for a blurred background."""
    import dataclasses

    from ._exporter import export_picture_blocking
    from ._native_encode import encode_verified

    picture = export_picture_blocking(cutout.png_rows, cutout.width, cutout.height, options, _exporter(), photo,
                                      compression=compression, png_threads=os.cpu_count() or 1)
    if picture.data is None:
        data = encode_verified(options.format, picture.pixels, picture.width, picture.height)
        picture = dataclasses.replace(picture, data=data)
    return picture


def remove_to_cutout(source: "ImageSource", *, model: str = DEFAULT_MODEL_ID,
                     compression: int = DEFAULT_COMPRESSION) -> "Cutout":
    """Like :func:`remove`, returning the full :class:`Cutout` (PNG, pixels, report, timings)."""
    return decode_and_cut(source, model, compression)[1]


def decode_and_cut(source, model: str, compression: int):
    from ._decode import decode_image
    from ._pipeline import remove_background_blocking

    backend = _backend_for(model)
    image = decode_image(source)
    threads = os.cpu_count() or 1
    return image, remove_background_blocking(image, backend, compression=compression, png_threads=threads)


@lru_cache(maxsize=4)
def _backend_for(model_id: str):
    # One session per model per process: creating one costs about a second.
    from ._native import OnnxRuntimeBackend

    return OnnxRuntimeBackend(get_model(model_id))


@lru_cache(maxsize=1)
def _exporter():
    from ._native import OnnxRuntimeExporter

    return OnnxRuntimeExporter()
