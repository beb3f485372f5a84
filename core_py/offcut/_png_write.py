"""PNG encoder in pure standard-library Python (it runs under Pyodide).

The expensive, per-pixel part (row filtering) arrives precomputed from the
fused graph as ``png_rows``; this module adds zlib compression and chunk
framing only. The output is 8-bit RGBA, straight alpha, and carries no
ancillary chunks at all: nothing from the source file (EXIF, GPS, ICC, text)
can leak into it.
"""

from __future__ import annotations

import struct
import zlib

__all__ = ["write_png", "PNG_SIGNATURE", "DEFAULT_COMPRESSION", "IDAT_CHUNK_BYTES"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: zlib level 3: on a 12 MP photo cutout 3× faster than level 6 for 3% more
#: bytes (measured; see README "PNG encoder").
DEFAULT_COMPRESSION = 3
#: Split compressed data into IDAT chunks of this size, like libpng's default
#: order of magnitude, so no reader has to buffer one huge chunk.
IDAT_CHUNK_BYTES = 1 << 20

_COLOR_TYPE_RGBA = 6
_BIT_DEPTH = 8


def write_png(png_rows, width: int, height: int, compression: int = DEFAULT_COMPRESSION) -> bytes:
    """Frame already-filtered RGBA scanlines (``height * (1 + 4 * width)`` bytes) as a PNG file."""
    expected = height * (1 + 4 * width)
    if len(png_rows) != expected:
        raise ValueError(f"png_rows has {len(png_rows):,} bytes; {width}×{height} RGBA needs {expected:,}")
    header = struct.pack(">IIBBBBB", width, height, _BIT_DEPTH, _COLOR_TYPE_RGBA, 0, 0, 0)
    compressed = zlib.compress(png_rows, compression)
    parts = [PNG_SIGNATURE, _chunk(b"IHDR", header)]
    view = memoryview(compressed)
    for start in range(0, len(view), IDAT_CHUNK_BYTES):
        parts.append(_chunk(b"IDAT", view[start : start + IDAT_CHUNK_BYTES]))
    parts.append(_chunk(b"IEND", b""))
    return b"".join(parts)


def _chunk(kind: bytes, data) -> bytes:
    crc = zlib.crc32(data, zlib.crc32(kind))
    return b"".join((struct.pack(">I", len(data)), kind, bytes(data), struct.pack(">I", crc)))
