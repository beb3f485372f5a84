"""WebP and JPEG for native hosts: Pillow's libwebp and libjpeg, each file
decoded again and compared with the pixels it was made from before it is
handed over (the extension does the same with the same libraries' WebAssembly
builds; PNG has its own writer and checker, shared by both).
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from ._export import SPEC
from .errors import PngCheckError

__all__ = ["encode_verified", "JPEG_MEAN_ERROR_LIMIT", "block_means"]

#: JPEG is lossy, and how much detail it drops depends on the picture (film
#: grain or noise loses tens of levels per pixel at any quality). What it keeps
#: is each 8×8 block's mean (its DC term, finely quantised): compared block by
#: block, a JPEG of the picture is within ~1 level, while a wrong picture (a
#: blank frame, shifted or swapped channels) is off by tens.
JPEG_BLOCK = 8
JPEG_MEAN_ERROR_LIMIT = 3.0


def encode_verified(format: str, pixels, width: int, height: int) -> bytes:
    """RGBA pixels (straight alpha) → the file's bytes; raises if it does not decode back to them."""
    rgba = np.frombuffer(pixels, np.uint8).reshape(height, width, 4)
    image = Image.fromarray(rgba, "RGBA")
    buffer = io.BytesIO()
    if format == "webp":
        # Lossless, and exact: libwebp keeps RGB under transparent pixels instead of zeroing it.
        image.save(buffer, "WEBP", lossless=True, exact=True, quality=100, method=4)
    elif format == "jpeg":
        image.convert("RGB").save(buffer, "JPEG", quality=SPEC["jpegQuality"], optimize=True)
    else:
        raise ValueError(f"encode_verified encodes webp and jpeg, not {format!r}")
    data = buffer.getvalue()
    _verify(format, data, rgba)
    return data


def _verify(format: str, data: bytes, rgba: np.ndarray) -> None:
    with Image.open(io.BytesIO(data)) as decoded:
        decoded.load()
        if decoded.size != (rgba.shape[1], rgba.shape[0]):
            raise PngCheckError(
                f"the {format.upper()} file is {decoded.size}, expected {rgba.shape[1]}×{rgba.shape[0]}")
        if format == "webp":
            back = np.asarray(decoded.convert("RGBA"))
            if not np.array_equal(back, rgba):
                wrong = int(np.count_nonzero((back != rgba).any(axis=2)))
                raise PngCheckError(f"the lossless WebP file differs from its pixels at {wrong:,} pixels")
        else:
            back = block_means(np.asarray(decoded.convert("RGB")))
            error = float(np.abs(back - block_means(rgba[..., :3])).mean())
            if error > JPEG_MEAN_ERROR_LIMIT:
                raise PngCheckError(f"the JPEG file's 8×8 block means differ from its pixels' by {error:.1f} "
                                    "levels on average")


def block_means(rgb: np.ndarray) -> np.ndarray:
    """Means of whole 8×8 blocks (the picture's mean when it is smaller than one), per channel."""
    height, width = (max(JPEG_BLOCK, side - side % JPEG_BLOCK) for side in rgb.shape[:2])
    if min(rgb.shape[:2]) < JPEG_BLOCK:
        return rgb.reshape(-1, 3).mean(axis=0)
    blocks = rgb[:height, :width].astype(np.float32).reshape(height // JPEG_BLOCK, JPEG_BLOCK, width // JPEG_BLOCK,
                                                             JPEG_BLOCK, 3)
    return blocks.mean(axis=(1, 3))
