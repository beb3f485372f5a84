"""A cutout → the exported picture, on any host: the export graph, then the
PNG writer and checker (WebP and JPEG are encoded and verified by the host:
Pillow natively, libwebp / MozJPEG in WebAssembly in the browser).

Pure standard library, like ``_pipeline``. A host supplies an
:class:`ExportBackend` that runs ``export.onnx`` (``offcut.graph._export_graph``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Protocol

from ._export import ExportOptions
from ._image import RgbaImage
from ._png_check import check_export_png
from ._png_write import DEFAULT_COMPRESSION, write_png
from .errors import BackendError

__all__ = ["ExportBackend", "ExportOutputs", "ExportedPicture", "export_picture", "export_picture_blocking"]

#: The photo the graph reads when the export does not show it (any colour: its weight is 0).
_UNUSED_PHOTO = RgbaImage(8, 8, bytes(8 * 8 * 4))


@dataclass(frozen=True)
class ExportOutputs:
    """What the export graph returns: ``pixels`` (RGBA, for WebP/JPEG) or ``png_rows`` (for PNG),
    whichever was asked for, and the box of the cutout kept."""

    width: int
    height: int
    box: tuple[int, int, int, int]
    pixels: bytes | bytearray | memoryview | None = None
    png_rows: bytes | bytearray | memoryview | None = None


class ExportBackend(Protocol):
    name: str

    async def run_export(self, png_rows, width: int, height: int, photo: RgbaImage, settings: list[float],
                         channels: int, output: str) -> ExportOutputs: ...


@dataclass(frozen=True)
class ExportedPicture:
    options: ExportOptions
    width: int
    height: int
    box: tuple[int, int, int, int]
    #: The file, for PNG (written and checked here; in the browser its pieces in JavaScript memory, ``JsPieces``);
    #: None for WebP/JPEG, which the host encodes from ``pixels``.
    data: bytes | None
    pixels: bytes | bytearray | memoryview | None
    timings: dict[str, float] = field(default_factory=dict)


async def export_picture(png_rows, width: int, height: int, options: ExportOptions, backend,
                         photo: RgbaImage | None = None, *, compression: int = DEFAULT_COMPRESSION,
                         png_threads: int = 1, png_collect=b"".join) -> ExportedPicture:
    """``png_rows``: the cutout's filtered scanlines (a :class:`~offcut._pipeline.Cutout`'s, or
    :func:`~offcut._png_check.cutout_rows` of its PNG); ``photo``: the original, needed for "blur";
    ``png_collect``: where a PNG file is put together (``write_png``'s ``collect``)."""
    started = time.perf_counter()
    outputs = await backend.run_export(*_graph_arguments(png_rows, width, height, options, photo))
    return _finish(outputs, options, backend.name, time.perf_counter() - started, compression, png_threads,
                   png_collect)


def export_picture_blocking(png_rows, width: int, height: int, options: ExportOptions, backend,
                            photo: RgbaImage | None = None, *, compression: int = DEFAULT_COMPRESSION,
                            png_threads: int = 1) -> ExportedPicture:
    """The same for a native backend's ``run_export_sync`` (no event loop)."""
    started = time.perf_counter()
    outputs = backend.run_export_sync(*_graph_arguments(png_rows, width, height, options, photo))
    return _finish(outputs, options, backend.name, time.perf_counter() - started, compression, png_threads)


def _graph_arguments(png_rows, width, height, options: ExportOptions, photo: RgbaImage | None):
    if len(png_rows) != height * (1 + 4 * width):
        raise ValueError(f"png_rows has {len(png_rows):,} bytes; a {width}×{height} cutout has "
                         f"{height * (1 + 4 * width):,}")
    if options.needs_photo and photo is None:
        raise ValueError("a blurred background needs the original photo")
    output = "png_rows" if options.format == "png" else "pixels"
    return (png_rows, width, height, photo if options.needs_photo else _UNUSED_PHOTO, options.settings(),
            options.channels, output)


def _finish(outputs: ExportOutputs, options: ExportOptions, backend_name: str, graph_seconds: float,
            compression: int, png_threads: int, png_collect=b"".join) -> ExportedPicture:
    timings = {"export": graph_seconds}
    if options.format != "png":
        expected = outputs.width * outputs.height * 4
        if outputs.pixels is None or len(outputs.pixels) != expected:
            raise BackendError(f"{backend_name} returned no or wrong-sized export pixels (expected {expected:,} bytes)")
        return ExportedPicture(options, outputs.width, outputs.height, outputs.box, None, outputs.pixels, timings)
    started = time.perf_counter()
    png = write_png(outputs.png_rows, outputs.width, outputs.height, compression, png_threads, options.channels,
                    png_collect)
    timings["encode"] = time.perf_counter() - started
    started = time.perf_counter()
    check_export_png(png, outputs.png_rows, outputs.width, outputs.height, options.channels)
    timings["check"] = time.perf_counter() - started
    return ExportedPicture(options, outputs.width, outputs.height, outputs.box, png, None, timings)
