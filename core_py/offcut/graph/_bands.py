"""The full-resolution half of the pipeline, run one band of rows at a time.

Everything after the network's grid is per pixel and needs only its own row
of the grid's upsampled planes, so it runs in an ONNX ``Loop`` over bands of
about ``BAND_PIXELS`` pixels: the float planes of the full-size maths
(upsampled coefficients, the photo cast to float, products and sums: ~20
bytes a pixel) exist for one band at a time, not for the whole photo (2 GB at
100 MP, more than a browser tab's WebAssembly memory spares beside the rest).
What stays whole is the photo itself and what the graph returns.

Each band:

    photo rows [y0, y0 + h) (the last band padded to h rows, cut off at the end)
      → the caller's per-band cutout (:data:`BandCutout`) with the grid planes
        upsampled to those rows (:func:`row_upsampler`)
      → PNG "Up" filter against the previous band's last row (carried by the loop)
    png rows [h, 1 + 4W], alpha [h, W], concatenated by the Loop.

The loop's bands all have h rows because ONNX Runtime's Loop requires every
iteration's outputs to have one shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import onnx

from .._png_write import PNG_FILTER_UP
from ._builder import BOOL, FLOAT, INT64, UINT8, GraphBuilder

__all__ = ["BAND_PIXELS", "Band", "BandCutout", "in_bands", "row_upsampler"]

#: Pixels per band. Small enough that a band's float planes are a few tens of
#: MB; large enough that a 12 MP photo is a dozen loop iterations, whose fixed
#: cost (a subgraph run each) is then negligible.
BAND_PIXELS = 1 << 20


@dataclass(frozen=True)
class Band:
    """One band of rows, as tensors of the loop's body."""

    image: str  # uint8 [h, W, 4]: the photo's rows y0 .. y0 + h (padded past the last row)
    hw: str  # int64 [2]: (h, W)
    photo_hw: str  # int64 [2]: the whole photo's (H, W)
    y0: str  # int64 [1]: the band's first row in the photo
    row_centres: str  # float [h]: y + 0.5 for each of the band's rows, in photo coordinates


#: (body builder, band) → (cutout uint8 [h, W, 4], alpha uint8 [h, W, 1]).
BandCutout = Callable[[GraphBuilder, Band], tuple[str, str]]


def in_bands(g: GraphBuilder, image: str, hw: str, cutout: BandCutout,
             band_pixels: int = BAND_PIXELS) -> tuple[str, str]:
    """Run ``cutout`` band by band over ``image`` [H, W, 4]; → (png rows [H, 1 + 4W], alpha [H, W])."""
    height = g.op("Shape", image, end=1)
    width = g.op("Shape", image, start=1, end=2)
    # h = min(H, max(1, band_pixels // W)) rows per band; ceil(H / h) bands.
    rows = g.op("Min", height, g.op("Max", g.ints(1), g.op("Div", g.ints(band_pixels), width)), hint="band_rows")
    count = g.op("Div", g.op("Sub", g.op("Add", height, rows), g.ints(1)), rows)
    first_above = g.op(
        "ConstantOfShape", g.op("Concat", g.ints(1), g.op("Mul", width, g.ints(4)), axis=0),
        value=onnx.helper.make_tensor("zero", UINT8, [1], [0]),
    )

    b = g.body("band")
    index = b.input(b.fresh("band_index"), INT64, [])
    condition = b.input(b.fresh("cond_in"), BOOL, [])
    above = b.input(b.fresh("above_in"), UINT8, [1, None])
    band = _band(b, image, hw, rows, width, index)
    band_cutout, band_alpha = cutout(b, band)
    band_rows = b.op("Reshape", band_cutout, b.op("Concat", rows, b.ints(-1), axis=0))
    filtered = _up_filtered(b, band_rows, above, rows)
    last_row = b.op("Slice", band_rows, b.ints(-1), b.ints(2**62), b.ints(0))
    alpha_rows = b.op("Reshape", band_alpha, band.hw)
    body = b.build_body([
        (b.op("Identity", condition), BOOL),
        (last_row, UINT8),
        (filtered, UINT8),
        (alpha_rows, UINT8),
    ])
    _, all_rows, all_alpha = g.op("Loop", g.op("Squeeze", count), "", first_above, n_out=3, body=body)
    # The Loop stacks the bands ([bands, h, ...]); the last was padded to h rows: keep the photo's H.
    return _first_rows(g, all_rows, height), _first_rows(g, all_alpha, height)


def _first_rows(g: GraphBuilder, stacked: str, height: str) -> str:
    """[bands, h, n] → [H, n] (a Reshape is free; the Slice copies, after the Loop's own copy is done)."""
    row_length = g.op("Shape", stacked, start=2, end=3)
    rows = g.op("Reshape", stacked, g.op("Concat", g.ints(-1), row_length, axis=0))
    return g.op("Slice", rows, g.ints(0), height, g.ints(0))


def _band(b: GraphBuilder, image: str, hw: str, rows: str, width: str, index: str) -> Band:
    y0 = b.op("Mul", b.op("Unsqueeze", index, b.ints(0)), rows)
    end = b.op("Add", y0, rows)
    taken = b.op("Slice", image, y0, end, b.ints(0))  # fewer than h rows in the last band
    missing = b.op("Sub", rows, b.op("Slice", b.op("Shape", taken), b.ints(0), b.ints(1)))
    padded = b.op("Pad", taken, b.op("Concat", b.ints(0, 0, 0), missing, b.ints(0, 0), axis=0), hint="band_image")
    centres = b.op("Add", b.op("Cast", b.op("Range", b.op("Squeeze", y0), b.op("Squeeze", end), b.const(1, np.int64)),
                               to=FLOAT), b.const(0.5))
    return Band(padded, b.op("Concat", rows, width, axis=0), hw, y0, centres)


def _up_filtered(b: GraphBuilder, rows: str, above: str, height: str) -> str:
    """PNG scanlines with filter type 2 ("Up"): byte − byte above, mod 256.

    One filter for every row keeps the encoder trivial and lets the checker
    rebuild any pixel from its column alone. Row y's "above" is row y − 1; the
    band's first row's is the previous band's last (all zeros for the photo's
    first row, PNG spec 9.2). The subtraction is on uint8, where ONNX
    Runtime's kernels (native and WebAssembly, the same C++) wrap modulo 256
    exactly as the filter wants; the PNG round-trip tests hold every host to it.
    """
    shifted = b.op("Concat", above, b.op("Slice", rows, b.ints(0), b.ints(-1), b.ints(0)), axis=0)
    filter_column = b.op(
        "ConstantOfShape", b.op("Concat", height, b.ints(1), axis=0),
        value=onnx.helper.make_tensor("filter", UINT8, [1], [PNG_FILTER_UP]),
    )
    return b.op("Concat", filter_column, b.op("Sub", rows, shifted), axis=1)


def row_upsampler(b: GraphBuilder, band: Band, side: int) -> Callable[[str], str]:
    """A function: grid plane [1, 1, S, S] → its half-pixel bilinear upsample to
    the photo, the band's rows only: [1, 1, h, W].

    The same sampling as a Resize of the whole plane to H×W: row y reads the
    grid at (y + ½)·S/H − ½, clamped to the grid, between the two grid rows
    around it; the rows are interpolated here and the columns by a Resize
    that leaves the row axis alone. Which grid rows and weights a band reads
    is worked out once per band, for every plane it upsamples.
    """
    photo_height = b.op("Cast", b.op("Slice", band.photo_hw, b.ints(0), b.ints(1)), to=FLOAT)
    scale = b.op("Div", photo_height, b.const(float(side)))
    source = b.op("Sub", b.op("Div", band.row_centres, scale), b.const(0.5))
    source = b.op("Clip", source, b.const(0.0), b.const(float(side - 1)))
    low = b.op("Floor", source)
    low_index = b.op("Cast", low, to=INT64)
    high_index = b.op("Min", b.op("Add", low_index, b.const(1, np.int64)), b.const(side - 1, np.int64))
    weight = b.op("Reshape", b.op("Sub", source, low), b.ints(1, 1, -1, 1))
    size = b.op("Concat", b.ints(1, 1), band.hw, axis=0)

    def upsample(grid: str) -> str:
        top = b.op("Gather", grid, low_index, axis=2)
        bottom = b.op("Gather", grid, high_index, axis=2)
        rows = b.op("Add", top, b.op("Mul", weight, b.op("Sub", bottom, top)))  # [1, 1, h, S]
        return b.op("Resize", rows, "", "", size, mode="linear", coordinate_transformation_mode="half_pixel")

    return upsample
