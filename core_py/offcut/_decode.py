"""Native image decoding with Pillow: any format Pillow reads → RgbaImage."""

from __future__ import annotations

import io
import os
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from ._image import RgbaImage, check_pixel_count
from .errors import ImageError

__all__ = ["decode_image", "ImageSource"]

ImageSource = str | os.PathLike | bytes | bytearray | memoryview | Image.Image


def decode_image(source: ImageSource) -> RgbaImage:
    """Decode, apply EXIF orientation (what the viewer showed), convert to RGBA."""
    if isinstance(source, Image.Image):
        return _to_rgba(source)
    what = os.fspath(source) if isinstance(source, (str, os.PathLike)) else "image bytes"
    opened = source if isinstance(source, (str, os.PathLike)) else io.BytesIO(bytes(source))
    try:
        with warnings.catch_warnings():
            # Offcut's own limit decides (the same in every host), checked from
            # the header before any pixel is decoded; Pillow's smaller default
            # would refuse 90–100 MP photos the browser accepts.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(opened) as picture:
                check_pixel_count(*picture.size, what)
                picture.load()
                return _to_rgba(picture)
    except FileNotFoundError:
        raise ImageError(f"{what}: no such file") from None
    except IsADirectoryError:
        raise ImageError(f"{what}: is a directory, not an image") from None
    except UnidentifiedImageError:
        raise ImageError(f"{what}: not an image Offcut can read") from None
    except Image.DecompressionBombError as err:
        raise ImageError(f"{what}: too many pixels ({err})") from None
    except (OSError, SyntaxError, ValueError) as err:  # truncated or corrupt data
        raise ImageError(f"{what}: corrupt or truncated image ({err})") from None


def _to_rgba(picture: Image.Image) -> RgbaImage:
    upright = ImageOps.exif_transpose(picture)
    rgba = upright if upright.mode == "RGBA" else upright.convert("RGBA")
    return RgbaImage(rgba.width, rgba.height, rgba.tobytes())
