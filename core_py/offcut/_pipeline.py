"""The pipeline every host runs: pixels → fused graph → PNG → verified result.

Shared by the native host and the Pyodide host; pure standard library. The
host decodes the image (Pillow natively, ``createImageBitmap`` in the browser)
and supplies a :class:`~offcut._backend.Backend`; everything after that is here.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from ._backend import Backend, GraphOutputs
from ._image import RgbaImage
from ._png_check import PngReport, check_png
from ._png_write import DEFAULT_COMPRESSION, write_png
from .errors import BackendError, OffcutError, OutOfMemoryError

__all__ = ["Cutout", "remove_background", "remove_background_blocking"]


@dataclass(frozen=True)
class Cutout:
    #: The file (in the browser, its pieces in JavaScript memory: ``offcut._pyodide.JsPieces``).
    png: bytes
    #: The graph's "Up"-filtered scanlines of the straight-alpha RGBA cutout
    #: (``offcut._native.rgba_array`` un-filters them into pixels).
    png_rows: bytes | bytearray | memoryview
    width: int
    height: int
    backend: str
    report: PngReport
    #: Seconds per named stage: "graph", "encode", "check".
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict:
        """JSON-ready metadata for the UI and the extension's response."""
        return {
            "width": self.width,
            "height": self.height,
            "backend": self.backend,
            "bytes": len(self.png),
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "transparentFraction": round(self.report.transparent_fraction, 4),
            "softFraction": round(self.report.soft_fraction, 4),
            "opaqueFraction": round(self.report.opaque_fraction, 4),
        }


async def remove_background(
    image: RgbaImage, backend: Backend, *, compression: int = DEFAULT_COMPRESSION, png_threads: int = 1,
    png_collect=b"".join,
) -> Cutout:
    """The pipeline on any backend (ONNX Runtime Web's ``session.run`` is async).

    ``png_collect``: where the PNG file is put together (``write_png``'s ``collect``).
    """
    started = time.perf_counter()
    with _named_backend_errors(backend, image):
        outputs = await backend.run_graph(image)
    return _finish(image, outputs, backend.name, time.perf_counter() - started, compression, png_threads,
                   png_collect)


def remove_background_blocking(
    image: RgbaImage, backend, *, compression: int = DEFAULT_COMPRESSION, png_threads: int = 1
) -> Cutout:
    """The same pipeline for a native backend's ``run_graph_sync``.

    No event loop involved, so ``offcut.remove`` also works where one is
    already running (Jupyter, an async web server, Playwright's sync API).
    """
    started = time.perf_counter()
    with _named_backend_errors(backend, image):
        outputs = backend.run_graph_sync(image)
    return _finish(image, outputs, backend.name, time.perf_counter() - started, compression, png_threads)


# How runtimes say they ran out of memory: Python, C++ (ONNX Runtime native and
# WebAssembly: "std::bad_alloc"), ONNX Runtime's own allocator.
_OUT_OF_MEMORY = ("bad_alloc", "Failed to allocate", "out of memory", "Out of memory")


@contextmanager
def _named_backend_errors(backend, image: RgbaImage):
    try:
        yield
    except OffcutError:
        raise
    except Exception as err:  # the runtime's own failure: name it, keep its message
        if isinstance(err, MemoryError) or any(marker in str(err) for marker in _OUT_OF_MEMORY):
            raise OutOfMemoryError(
                f"not enough memory to process a {image.width}×{image.height} image "
                f"({image.megapixels:.0f} MP) with {backend.name}; close other tabs or programs, "
                f"or use a smaller image ({err})"
            ) from err
        raise BackendError(f"{backend.name} failed to run the pipeline graph: {err}") from err


def _finish(image: RgbaImage, outputs: GraphOutputs, backend_name: str, graph_seconds: float,
            compression: int, png_threads: int, png_collect=b"".join) -> Cutout:
    expected = (image.height * (1 + 4 * image.width), image.width * image.height)
    if (len(outputs.png_rows), len(outputs.alpha)) != expected:
        raise BackendError(
            f"{backend_name} returned {len(outputs.png_rows):,}/{len(outputs.alpha):,} bytes of rows/alpha, "
            f"expected {expected[0]:,}/{expected[1]:,}"
        )
    timings = {"graph": graph_seconds}
    started = time.perf_counter()
    png = write_png(outputs.png_rows, image.width, image.height, compression, png_threads, collect=png_collect)
    timings["encode"] = time.perf_counter() - started
    started = time.perf_counter()
    report = check_png(png, outputs.png_rows, outputs.alpha, image.width, image.height)
    timings["check"] = time.perf_counter() - started
    return Cutout(png, outputs.png_rows, image.width, image.height, backend_name, report, timings)
