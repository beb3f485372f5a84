"""Post-encode integrity check: decode the PNG we wrote and compare.

Pure standard library (runs under Pyodide). It parses every chunk and its
CRC, checks the header, inflates the image data, checks every row's filter
byte, and rebuilds a grid of sampled pixels to compare with the cutout we
meant to write. Rows are "Up"-filtered, so a pixel is the sum mod 256 of its
column's filtered bytes: each sample costs one strided slice, done in C.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from ._png_write import PNG_SIGNATURE
from .errors import PngCheckError

__all__ = ["check_png", "PngReport"]

_FILTER_NONE, _FILTER_UP = 0, 2
_SAMPLES_PER_AXIS = 16
_ALLOWED_CHUNKS = {b"IHDR", b"IDAT", b"IEND"}


@dataclass(frozen=True)
class PngReport:
    """What the check saw; also the numbers the UI shows about a cutout."""

    width: int
    height: int
    file_bytes: int
    pixels_checked: int
    transparent_fraction: float  # alpha == 0
    soft_fraction: float  # 0 < alpha < 255: soft edges (hair, fur, motion blur)
    opaque_fraction: float  # alpha == 255


def check_png(png: bytes, cutout, width: int, height: int) -> PngReport:
    """Raise :class:`PngCheckError` unless ``png`` decodes to ``cutout`` (RGBA bytes)."""
    chunks = _read_chunks(png)
    _check_header(chunks, width, height)
    stride = 1 + 4 * width
    try:
        raw = zlib.decompress(b"".join(data for kind, data in chunks if kind == b"IDAT"))
    except zlib.error as err:
        raise PngCheckError(f"PNG image data does not inflate: {err}") from None
    if len(raw) != height * stride:
        raise PngCheckError(f"PNG image data holds {len(raw):,} bytes, expected {height * stride:,}")
    filters = set(raw[::stride])
    if not filters <= {_FILTER_NONE, _FILTER_UP}:
        raise PngCheckError(f"PNG rows use filter types {sorted(filters)}; the writer only emits 0 and 2")
    checked = _compare_samples(raw, stride, cutout, width, height)
    return PngReport(width, height, len(png), checked, *_alpha_fractions(cutout))


def _read_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    if not png.startswith(PNG_SIGNATURE):
        raise PngCheckError("not a PNG file (bad signature)")
    chunks, pos = [], len(PNG_SIGNATURE)
    while pos < len(png):
        if pos + 12 > len(png):
            raise PngCheckError(f"PNG truncated inside a chunk header at byte {pos:,}")
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        data = png[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length : pos + 12 + length] or b"\0\0\0\0")
        if len(data) != length or zlib.crc32(data, zlib.crc32(kind)) != crc:
            raise PngCheckError(f"PNG chunk {kind!r} at byte {pos:,} is corrupted (CRC mismatch)")
        if kind not in _ALLOWED_CHUNKS:
            raise PngCheckError(f"PNG carries an unexpected {kind!r} chunk (metadata must not be written)")
        chunks.append((kind, data))
        pos += 12 + length
        if kind == b"IEND":
            break
    if not chunks or chunks[-1][0] != b"IEND" or pos != len(png):
        raise PngCheckError("PNG does not end with exactly one IEND chunk")
    return chunks


def _check_header(chunks, width: int, height: int) -> None:
    if chunks[0][0] != b"IHDR" or len(chunks[0][1]) != 13:
        raise PngCheckError("PNG does not start with a valid IHDR chunk")
    w, h, depth, colour, *methods = struct.unpack(">IIBBBBB", chunks[0][1])
    if (w, h) != (width, height):
        raise PngCheckError(f"PNG is {w}×{h}, expected {width}×{height}")
    if (depth, colour, *methods) != (8, 6, 0, 0, 0):
        raise PngCheckError(f"PNG is not 8-bit non-interlaced RGBA (depth {depth}, colour type {colour})")


def _sample_coordinates(width: int, height: int):
    xs = sorted({round(i * (width - 1) / (_SAMPLES_PER_AXIS - 1)) for i in range(_SAMPLES_PER_AXIS)})
    ys = sorted({round(i * (height - 1) / (_SAMPLES_PER_AXIS - 1)) for i in range(_SAMPLES_PER_AXIS)})
    return xs, ys


def _compare_samples(raw: bytes, stride: int, cutout, width: int, height: int) -> int:
    xs, ys = _sample_coordinates(width, height)
    # A pixel is the sum mod 256 of its column from the last unfiltered row
    # down (row 0 counts as one: its "above" is all zeros).
    restart, last = [], 0
    for y, kind in enumerate(raw[::stride]):
        last = y if kind == _FILTER_NONE else last
        restart.append(last)
    for x in xs:
        for channel in range(4):
            column = raw[1 + 4 * x + channel :: stride]
            for y in ys:
                decoded = sum(column[restart[y] : y + 1]) & 0xFF
                expected = cutout[(y * width + x) * 4 + channel]
                if decoded != expected:
                    raise PngCheckError(
                        f"PNG pixel ({x}, {y}) channel {'RGBA'[channel]} decodes to {decoded}, "
                        f"expected {expected}"
                    )
    return len(xs) * len(ys)


def _alpha_fractions(cutout) -> tuple[float, float, float]:
    alpha = bytes(memoryview(cutout)[3::4])
    total = len(alpha)
    transparent, opaque = alpha.count(0), alpha.count(255)
    return transparent / total, (total - transparent - opaque) / total, opaque / total
