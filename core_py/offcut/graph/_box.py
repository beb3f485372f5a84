"""Box means over square windows, the building block of the guided filter and
the foreground estimator.

Two separable AveragePool passes: O(r) per pixel, float only (WebGPU-safe),
and ``count_include_pad=0`` makes every window, the clipped ones at the border
too, a true mean of the pixels it covers.
"""

from __future__ import annotations

from ._builder import GraphBuilder

__all__ = ["box_mean", "scaled_radius"]


def box_mean(g: GraphBuilder, x: str, radius: int) -> str:
    """Mean of ``x`` [N, C, H, W] over (2r+1)×(2r+1) windows, borders clipped."""
    side = 2 * radius + 1
    columns = g.op("AveragePool", x, kernel_shape=[side, 1], pads=[radius, 0, radius, 0],
                   count_include_pad=0, hint="box_v")
    return g.op("AveragePool", columns, kernel_shape=[1, side], pads=[0, radius, 0, radius],
                count_include_pad=0, hint="box_h")


def scaled_radius(radius_at_1024: int, side: int) -> int:
    """A window radius chosen on a 1024² grid, for an S² grid: the same share of the photo."""
    return max(1, round(radius_at_1024 * side / 1024))
