"""Post-encode integrity check: decode the PNG we wrote and compare.

Pure standard library (runs under Pyodide). It parses every chunk and its
CRC, checks the header, inflates the image data band by band, checks every
row's filter byte, compares every inflated byte with the scanlines the graph
emitted (the writer, zlib and the chunking), and rebuilds the alpha of a grid
of sampled pixels to compare with the graph's own alpha plane (the scanlines
hold the cutout the graph meant). Rows are "Up"-filtered, so a pixel is the
sum mod 256 of its column's filtered bytes: each sample costs strided
slices, done in C.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from ._png_write import COLOR_TYPES, PNG_FILTER_UP, PNG_SIGNATURE, STREAM_CHUNK_BYTES
from .errors import PngCheckError

__all__ = ["check_png", "check_export_png", "cutout_rows", "PngReport"]

_FILTER_NONE = 0
_ALPHA = 3  # byte of a pixel
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


def check_png(png: bytes, png_rows, alpha, width: int, height: int) -> PngReport:
    """Raise :class:`PngCheckError` unless ``png`` decodes to ``png_rows``, whose alpha is ``alpha``.

    ``png_rows`` (the filtered scanlines) and ``alpha`` (``width * height``
    bytes) are any sliceable byte buffers (in the browser, views of
    JavaScript memory): both are read in slices, and the image data is
    inflated band by band, so the check holds O(band) bytes, never an image.
    """
    samples = _AlphaSamples(width, height, 1 + 4 * width)
    _compare_rows(png, png_rows, width, height, 4, samples.add_band)
    checked = samples.compare(alpha)
    return PngReport(width, height, len(png), checked, *_alpha_fractions(alpha))


def check_export_png(png: bytes, png_rows, width: int, height: int, channels: int) -> None:
    """Raise :class:`PngCheckError` unless ``png`` (grey, RGB or RGBA) decodes to exactly ``png_rows``."""
    _compare_rows(png, png_rows, width, height, channels, lambda band: None)


def cutout_rows(png: bytes):
    """A cutout PNG this package wrote → (width, height, its filtered rows band by band).

    For exporting a cutout the extension kept: only our own files are taken
    (8-bit RGBA, no metadata, every row "Up"-filtered, as the export graph
    un-filters), with every chunk's CRC and the zlib stream checked.
    """
    chunks = _chunks(png)
    header = next(chunks)
    if header[0] != b"IHDR" or len(header[1]) != 13:
        raise PngCheckError("PNG does not start with a valid IHDR chunk")
    width, height = struct.unpack(">II", header[1][:8])
    _check_header(header, width, height)
    stride = 1 + 4 * width

    def bands():
        for band in _inflated_rows(chunks, stride, height):
            if set(band[::stride]) != {PNG_FILTER_UP}:
                raise PngCheckError("this PNG was not made by Offcut (its rows are not all \"Up\"-filtered)")
            yield band

    return width, height, bands()


def _compare_rows(png: bytes, png_rows, width: int, height: int, channels: int, each_band) -> None:
    chunks = _chunks(png)
    _check_header(next(chunks), width, height, channels)
    stride = 1 + channels * width
    offset = 0
    for band in _inflated_rows(chunks, stride, height):
        filters = set(band[::stride])
        if not filters <= {_FILTER_NONE, PNG_FILTER_UP}:
            raise PngCheckError(f"PNG rows use filter types {sorted(filters)}; the writer only emits 0 and 2")
        if band != png_rows[offset : offset + len(band)]:
            first = offset // stride
            raise PngCheckError(f"PNG rows {first:,}–{first + len(band) // stride - 1:,} differ from the rows written")
        each_band(band)
        offset += len(band)


def _inflated_rows(chunks, stride: int, height: int):
    """The image data inflated, as bands of whole rows (``STREAM_CHUNK_BYTES`` or so each)."""
    band_bytes = max(1, STREAM_CHUNK_BYTES // stride) * stride
    expected = height * stride
    inflater = zlib.decompressobj()
    pending = bytearray()
    produced = 0
    try:
        for kind, data in chunks:
            if kind != b"IDAT":
                continue
            pending += inflater.decompress(data)
            while len(pending) >= band_bytes:
                band = bytes(pending[:band_bytes])
                del pending[:band_bytes]
                produced += band_bytes
                if produced > expected:
                    break  # more data than the image holds: reported below, with the total
                yield band
        pending += inflater.flush()
    except zlib.error as err:
        raise PngCheckError(f"PNG image data does not inflate: {err}") from None
    if not inflater.eof:
        raise PngCheckError("PNG image data ends before its zlib stream does (truncated)")
    produced += len(pending)
    if produced != expected:
        raise PngCheckError(f"PNG image data holds {produced:,} bytes, expected {expected:,}")
    if pending:
        yield bytes(pending)


class _AlphaSamples:
    """The alpha of pixels on a sparse grid, rebuilt from "Up"-filtered rows band by band.

    A pixel is the sum mod 256 of its column from the last unfiltered row
    down (row 0 counts as one: its "above" is all zeros), so each sampled
    column keeps one running sum; a band costs one strided slice per column.
    """

    def __init__(self, width: int, height: int, stride: int) -> None:
        self.stride = stride
        self.width = width
        self.xs, self.ys = _sample_coordinates(width, height)
        self.columns = [1 + 4 * x + _ALPHA for x in self.xs]
        self.running = dict.fromkeys(self.columns, 0)
        self.decoded: dict[tuple[int, int], int] = {}  # (column, y) → byte
        self.first_row = 0

    def add_band(self, band: bytes) -> None:
        rows = len(band) // self.stride
        kinds = band[:: self.stride]
        wanted = [y - self.first_row for y in self.ys if self.first_row <= y < self.first_row + rows]
        # Segments between restarts (unfiltered rows) within the band.
        restarts = [r for r, kind in enumerate(kinds) if kind == _FILTER_NONE]
        for column in self.columns:
            values = band[column :: self.stride]
            total, start = self.running[column], 0
            for r in wanted:
                total, start = _column_sum(values, start, r + 1, total, restarts), r + 1
                self.decoded[column, self.first_row + r] = total & 0xFF
            self.running[column] = _column_sum(values, start, rows, total, restarts) & 0xFF
        self.first_row += rows

    def compare(self, alpha) -> int:
        for x in self.xs:
            column = 1 + 4 * x + _ALPHA
            for y in self.ys:
                decoded, expected = self.decoded[column, y], alpha[y * self.width + x]
                if decoded != expected:
                    raise PngCheckError(f"PNG pixel ({x}, {y}) has alpha {decoded}, expected {expected}")
        return len(self.xs) * len(self.ys)


def _column_sum(values: bytes, start: int, stop: int, total: int, restarts: list[int]) -> int:
    """``total`` plus rows ``start..stop-1`` of one column, restarting at the last unfiltered row among them."""
    last_restart = max((r for r in restarts if start <= r < stop), default=None)
    if last_restart is not None:
        total, start = 0, last_restart
    return total + sum(values[start:stop])


def _chunks(png):
    """``png``'s chunks as (kind, data), one at a time, each CRC-checked as it is read.

    ``png``: any sliceable byte buffer (in the browser, a view of JavaScript
    memory): only one chunk's bytes are copied out at a time. The file's
    structure (one IEND, nothing after it) is checked when the last chunk
    has been read, so a reader must read them all (``_inflated_rows`` does).
    """
    if png[: len(PNG_SIGNATURE)] != PNG_SIGNATURE:
        raise PngCheckError("not a PNG file (bad signature)")
    pos, size, kind = len(PNG_SIGNATURE), len(png), None
    while pos < size:
        if pos + 12 > size:
            raise PngCheckError(f"PNG truncated inside a chunk header at byte {pos:,}")
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        data = png[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length : pos + 12 + length] or b"\0\0\0\0")
        if len(data) != length or zlib.crc32(data, zlib.crc32(kind)) != crc:
            raise PngCheckError(f"PNG chunk {kind!r} at byte {pos:,} is corrupted (CRC mismatch)")
        if kind not in _ALLOWED_CHUNKS:
            raise PngCheckError(f"PNG carries an unexpected {kind!r} chunk (metadata must not be written)")
        pos += 12 + length
        yield kind, data
        if kind == b"IEND":
            break
    if kind != b"IEND" or pos != size:
        raise PngCheckError("PNG does not end with exactly one IEND chunk")


def _check_header(header: tuple[bytes, bytes], width: int, height: int, channels: int = 4) -> None:
    kind, data = header
    if kind != b"IHDR" or len(data) != 13:
        raise PngCheckError("PNG does not start with a valid IHDR chunk")
    w, h, depth, colour, *methods = struct.unpack(">IIBBBBB", data)
    if (w, h) != (width, height):
        raise PngCheckError(f"PNG is {w}×{h}, expected {width}×{height}")
    if (depth, colour, *methods) != (8, COLOR_TYPES[channels], 0, 0, 0):
        raise PngCheckError(f"PNG is not 8-bit non-interlaced with {channels} channels "
                            f"(depth {depth}, colour type {colour})")


def _sample_coordinates(width: int, height: int):
    xs = sorted({round(i * (width - 1) / (_SAMPLES_PER_AXIS - 1)) for i in range(_SAMPLES_PER_AXIS)})
    ys = sorted({round(i * (height - 1) / (_SAMPLES_PER_AXIS - 1)) for i in range(_SAMPLES_PER_AXIS)})
    return xs, ys


def _alpha_fractions(alpha) -> tuple[float, float, float]:
    """Shares of transparent, soft and opaque pixels, counted slice by slice."""
    total = len(alpha)
    transparent = opaque = 0
    for start in range(0, total, STREAM_CHUNK_BYTES):
        chunk = bytes(alpha[start : start + STREAM_CHUNK_BYTES])
        transparent += chunk.count(0)
        opaque += chunk.count(255)
    return transparent / total, (total - transparent - opaque) / total, opaque / total
