"""The pipeline every host runs: pixels → fused graph → PNG → verified result.

Shared by the native host and the Pyodide host; pure standard library. The
host decodes the image (Pillow natively, ``createImageBitmap`` in the browser)
and supplies a :class:`~offcut._backend.Backend`; everything after that is here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ._backend import Backend, GraphOutputs
from ._image import RgbaImage
from ._png_check import PngReport, check_png
from ._png_write import DEFAULT_COMPRESSION, write_png
from .errors import BackendError, OffcutError

__all__ = ["Cutout", "remove_background"]


@dataclass(frozen=True)
class Cutout:
    png: bytes
    rgba: bytes | bytearray | memoryview  # straight-alpha RGBA, ``width * height * 4`` bytes
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
    image: RgbaImage, backend: Backend, *, compression: int = DEFAULT_COMPRESSION, png_threads: int = 1
) -> Cutout:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    outputs = await _run_graph(backend, image)
    timings["graph"] = time.perf_counter() - started

    started = time.perf_counter()
    png = write_png(outputs.png_rows, image.width, image.height, compression, png_threads)
    timings["encode"] = time.perf_counter() - started

    started = time.perf_counter()
    report = check_png(png, outputs.cutout, image.width, image.height)
    timings["check"] = time.perf_counter() - started
    return Cutout(png, outputs.cutout, image.width, image.height, backend.name, report, timings)


async def _run_graph(backend: Backend, image: RgbaImage) -> GraphOutputs:
    try:
        outputs = await backend.run_graph(image)
    except OffcutError:
        raise
    except Exception as err:  # the runtime's own failure: name it, keep its message
        raise BackendError(f"{backend.name} failed to run the pipeline graph: {err}") from err
    expected = (image.width * image.height * 4, image.height * (1 + 4 * image.width))
    if (len(outputs.cutout), len(outputs.png_rows)) != expected:
        raise BackendError(
            f"{backend.name} returned {len(outputs.cutout):,}/{len(outputs.png_rows):,} bytes, "
            f"expected {expected[0]:,}/{expected[1]:,}"
        )
    return outputs
