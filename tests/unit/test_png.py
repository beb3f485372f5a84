"""The pure-Python PNG writer and its post-encode checker."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from offcut import PngCheckError, check_png, write_png
from offcut._native import rgba_array

from ._fixtures import every_value_rgba, up_filtered_rows


def _encode(rgba: np.ndarray, compression: int = 3) -> bytes:
    height, width = rgba.shape[:2]
    return write_png(up_filtered_rows(rgba), width, height, compression)


def _check(png: bytes, rgba: np.ndarray, rows: bytes | None = None, width=None, height=None):
    """``check_png`` against what the graph would return for ``rgba``: its filtered rows and alpha plane."""
    rows = up_filtered_rows(rgba) if rows is None else rows
    alpha = np.ascontiguousarray(rgba[..., 3]).tobytes()
    return check_png(png, rows, alpha, width or rgba.shape[1], height or rgba.shape[0])


@pytest.mark.parametrize("compression", [0, 1, 3, 6, 9])
def test_pillow_reads_back_every_byte(compression):
    rgba = every_value_rgba()
    decoded = Image.open(io.BytesIO(_encode(rgba, compression)))
    assert decoded.mode == "RGBA"
    # Bit-exact, including RGB where alpha is 0 and all 256 alpha values.
    np.testing.assert_array_equal(np.asarray(decoded), rgba)
    assert set(np.unique(np.asarray(decoded)[..., 3])) == set(range(256))


def test_writes_no_metadata_chunks():
    png = _encode(every_value_rgba())
    kinds, pos = [], 8
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        kinds.append(kind)
        pos += 12 + length
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"
    assert set(kinds) == {b"IHDR", b"IDAT", b"IEND"}


def test_large_image_splits_idat_chunks():
    rgba = np.random.default_rng(1).integers(0, 256, (700, 700, 4), dtype=np.uint8)  # incompressible
    png = _encode(rgba, 0)
    assert png.count(b"IDAT") >= 2
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(png))), rgba)


@pytest.mark.parametrize("threads", [2, 3])
def test_parallel_deflate_is_one_valid_stream(threads):
    rgba = every_value_rgba(1100, 1000)  # 4.4 MB of rows: above the parallel threshold
    height, width = rgba.shape[:2]
    rows = up_filtered_rows(rgba)
    png = write_png(rows, width, height, 3, threads)
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(png))), rgba)
    report = _check(png, rgba)  # zlib's own Adler-32 check included
    assert report.width == width and png != write_png(rows, width, height, 3, 1)


def test_rejects_wrong_row_buffer_length():
    with pytest.raises(ValueError, match="png_rows has"):
        write_png(b"\x02" * 10, 4, 4)


def test_checker_accepts_what_the_writer_wrote():
    rgba = every_value_rgba()
    report = _check(_encode(rgba), rgba)
    assert report.pixels_checked == 256
    alpha = rgba[..., 3]
    assert report.transparent_fraction == pytest.approx((alpha == 0).mean())
    assert report.opaque_fraction == pytest.approx((alpha == 255).mean())


def _flip_byte(png: bytes, offset: int) -> bytes:
    return png[:offset] + bytes([png[offset] ^ 0x40]) + png[offset + 1 :]


@pytest.mark.parametrize(
    "corrupt, message",
    [
        (lambda png: png[:-20], "IEND|truncated|corrupted"),
        (lambda png: _flip_byte(png, len(png) // 2), "corrupted"),
        (lambda png: b"GIF89a" + png[6:], "signature"),
    ],
    ids=["truncated", "bit-flip-in-data", "not-png"],
)
def test_checker_catches_corrupt_files(corrupt, message):
    rgba = every_value_rgba()
    with pytest.raises(PngCheckError, match=message):
        _check(corrupt(_encode(rgba)), rgba)


def test_checker_catches_wrong_pixels_with_valid_crc():
    """A well-formed file whose content differs from the rows we meant to write."""
    rgba = every_value_rgba()
    wrong = rgba.copy()
    wrong[40, 30, 0] ^= 0x01  # one bit of one byte, not on the sampled grid
    with pytest.raises(PngCheckError, match="PNG rows 0–47 differ from the rows written"):
        _check(_encode(wrong), rgba)


def test_checker_catches_rows_that_disagree_with_the_alpha_plane():
    """Rows written faithfully, but not the cutout whose alpha the graph reported."""
    rgba = every_value_rgba()
    wrong = rgba.copy()
    wrong[0, 0, 3] ^= 0xFF  # a sampled corner pixel
    with pytest.raises(PngCheckError, match=r"pixel \(0, 0\) has alpha"):
        _check(_encode(wrong), rgba, rows=up_filtered_rows(wrong))


def test_checker_catches_wrong_size_and_metadata():
    rgba = every_value_rgba()
    png = _encode(rgba)
    with pytest.raises(PngCheckError, match="is 64×48, expected 48×64"):
        _check(png, rgba, width=48, height=64)
    text = b"tEXtComment\x00hi"
    chunk = struct.pack(">I", len(text) - 4) + text + struct.pack(">I", zlib.crc32(text))
    with_text = png[:33] + chunk + png[33:]
    with pytest.raises(PngCheckError, match="unexpected b'tEXt' chunk"):
        _check(with_text, rgba)


def _mixed_filter_rows(rgba: np.ndarray, unfiltered_rows: set[int]) -> bytes:
    """Scanlines "Up"-filtered, except ``unfiltered_rows`` (filter type 0, raw bytes)."""
    height, width = rgba.shape[:2]
    raw = rgba.reshape(height, width * 4)
    above = np.vstack([np.zeros((1, width * 4), np.uint8), raw[:-1]])
    rows = []
    for y in range(height):
        kind, data = (0, raw[y]) if y in unfiltered_rows else (2, raw[y] - above[y])
        rows.append(bytes([kind]) + data.tobytes())
    return b"".join(rows)


@pytest.mark.parametrize("unfiltered", [set(), {0}, {5, 6, 300, 599}], ids=["up", "first-row", "scattered"])
def test_checker_streams_bands_and_restarts_at_unfiltered_rows(monkeypatch, unfiltered):
    """Several inflate bands (tiny band size), with rows of filter type 0 among the "Up" rows."""
    import offcut._png_check as png_check

    monkeypatch.setattr(png_check, "STREAM_CHUNK_BYTES", 40_000)  # ~16 rows a band
    rgba = every_value_rgba(600, 600, seed=3)
    png = write_png(_mixed_filter_rows(rgba, unfiltered), 600, 600, 1)
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(png))), rgba)
    report = _check(png, rgba, rows=_mixed_filter_rows(rgba, unfiltered))
    assert report.pixels_checked == 256
    wrong = rgba.copy()
    wrong[359, 599, 3] ^= 0x01  # a sampled pixel deep in a later band (row 359 = 9·599/15)
    wrong_rows = _mixed_filter_rows(wrong, unfiltered)
    with pytest.raises(PngCheckError, match=r"pixel \(599, 359\) has alpha"):
        _check(write_png(wrong_rows, 600, 600, 1), rgba, rows=wrong_rows)


def test_checker_catches_a_stream_cut_at_a_chunk_boundary():
    """Every chunk intact (valid CRCs), but the zlib stream stops early."""
    rgba = np.random.default_rng(2).integers(0, 256, (700, 700, 4), dtype=np.uint8)
    png = _encode(rgba, 0)
    chunks, pos = [], 8
    while pos < len(png):
        length = struct.unpack(">I", png[pos : pos + 4])[0]
        chunks.append(png[pos : pos + 12 + length])
        pos += 12 + length
    idats = [c for c in chunks if c[4:8] == b"IDAT"]
    assert len(idats) >= 2
    shortened = png[:8] + b"".join(c for c in chunks if c is not idats[-1])
    with pytest.raises(PngCheckError, match="truncated|expected"):
        _check(shortened, rgba)


class _SliceOnly:
    """A byte buffer that may only be sliced, as the browser's views of JavaScript memory are read
    (each slice a copy into Python's heap): it counts the slices and keeps the largest's length."""

    def __init__(self, data: bytes) -> None:
        self.data, self.slices, self.largest = data, 0, 0

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, key):
        assert isinstance(key, slice)
        self.slices += 1
        piece = self.data[key]
        self.largest = max(self.largest, len(piece))
        return piece


def test_writer_reads_its_rows_in_slices(monkeypatch):
    """The rows are only ever sliced (the browser's buffer copies one slice at a time)."""
    import offcut._png_write as png_write

    monkeypatch.setattr(png_write, "STREAM_CHUNK_BYTES", 10_000)
    rgba = every_value_rgba(300, 200)
    rows = _SliceOnly(up_filtered_rows(rgba))
    png = write_png(rows, 300, 200, 1)
    assert rows.largest <= png_write.STREAM_CHUNK_BYTES
    assert rows.slices == -(-len(rows.data) // 10_000)
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(png))), rgba)


def test_native_pixels_are_the_rows_unfiltered():
    rgba = every_value_rgba(300, 200, seed=4)
    np.testing.assert_array_equal(rgba_array(up_filtered_rows(rgba), 300, 200), rgba)
    with pytest.raises(ValueError, match="filter is not Up"):
        rgba_array(_mixed_filter_rows(rgba, {7}), 300, 200)


def test_writer_hands_whole_chunks_to_collect():
    """``collect`` (the browser joins the file in JavaScript memory) gets the file as whole chunks of at
    most ~1 MB each, in order: joined, they are the very bytes ``write_png`` returns by default."""
    from offcut._png_write import IDAT_CHUNK_BYTES, PNG_SIGNATURE

    rgba = np.random.default_rng(4).integers(0, 256, (700, 700, 4), dtype=np.uint8)  # ~2 MB compressed
    pieces = write_png(up_filtered_rows(rgba), 700, 700, 1, collect=list)
    assert pieces[0].startswith(PNG_SIGNATURE) and pieces[0][12:16] == b"IHDR" and pieces[-1][4:8] == b"IEND"
    assert len(pieces) >= 4 and all(len(piece) <= IDAT_CHUNK_BYTES + 12 for piece in pieces[1:])
    assert b"".join(pieces) == write_png(up_filtered_rows(rgba), 700, 700, 1)


def test_checker_reads_the_file_a_chunk_at_a_time():
    """The file is only sliced, one chunk (or chunk header) at a time: in the browser each slice is a copy
    out of JavaScript memory into Python's heap, which never shrinks. Bytes after IEND are still caught."""
    from offcut._png_write import IDAT_CHUNK_BYTES

    rgba = np.random.default_rng(5).integers(0, 256, (700, 700, 4), dtype=np.uint8)
    png = _SliceOnly(_encode(rgba))
    report = _check(png, rgba)
    assert report.file_bytes == len(png.data) > IDAT_CHUNK_BYTES  # two IDAT chunks at least
    assert png.largest <= IDAT_CHUNK_BYTES
    with pytest.raises(PngCheckError, match="exactly one IEND"):
        _check(_SliceOnly(png.data + b"\0" * 12), rgba)
