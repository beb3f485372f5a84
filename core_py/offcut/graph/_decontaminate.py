"""Foreground colour at soft-alpha pixels: "blur-fusion" estimation
(Forte & Pitié, "Approximate Fast Foreground Colour Estimation", ICIP 2021).

A soft pixel is I = αF + (1 − α)B. Local means of the opaque-ish colours
(F̄ = blur(αI)/blur(α)) and of the transparent-ish ones (B̄) give a first
guess, corrected by the pixel's own residual: F = F̄ + α(I − αF̄ − (1 − α)B̄).
Two passes, a wide one (r = 90 px in the paper) then a narrow one (r = 6),
both on the network's grid, the wide one on a quarter of it. The result is
rewritten as F = αI + (1 − α)G with G = F̄ + α(F̄ − B̄) so that only G (smooth)
is upsampled and I stays the full-resolution photo.
"""

from __future__ import annotations

from ._box import box_mean, scaled_radius
from ._builder import GraphBuilder, resize_linear, shrink_linear

__all__ = ["foreground_offset"]

_COARSE_DIVISOR = 4  # the wide pass runs on (S/4)²
# Radii for S = 1024, scaled with the grid so a window covers the same share of the photo.
_WIDE_RADIUS = 22    # on the coarse grid: ~90 px on a ~1000-px photo, the paper's setting
_NARROW_RADIUS = 6   # on the S grid
_TINY = 1e-5


def foreground_offset(g: GraphBuilder, guide: str, alpha: str, side: int) -> str:
    """guide [1, 3, S, S], alpha [1, 1, S, S], both 0..1 → G [1, 3, S, S]."""
    coarse = side // _COARSE_DIVISOR
    small_guide = shrink_linear(g, guide, 3, coarse, coarse)
    small_alpha = shrink_linear(g, alpha, 1, coarse, coarse)
    wide_f, wide_b = _blurred_colours(g, small_guide, small_guide, small_alpha, scaled_radius(_WIDE_RADIUS, side))
    full_size = g.ints(1, 3, side, side)
    wide_f, wide_b = resize_linear(g, wide_f, full_size), resize_linear(g, wide_b, full_size)
    first_f = g.op("Clip", _corrected(g, guide, alpha, wide_f, wide_b), g.const(0.0), g.const(1.0))
    narrow_f, narrow_b = _blurred_colours(g, first_f, wide_b, alpha, scaled_radius(_NARROW_RADIUS, side))
    return g.op("Add", narrow_f, g.op("Mul", alpha, g.op("Sub", narrow_f, narrow_b)), hint="fg_offset")


def _blurred_colours(g: GraphBuilder, foreground: str, background: str, alpha: str, radius: int):
    """(blur(αF)/blur(α), blur((1 − α)B)/blur(1 − α)) with one batched box filter."""
    weighted_f = g.op("Mul", foreground, alpha)
    weighted_b = g.op("Mul", background, g.op("Sub", g.const(1.0), alpha))
    means = box_mean(g, g.op("Concat", weighted_f, weighted_b, alpha, axis=1), radius)
    mean_f = g.op("Slice", means, g.ints(0), g.ints(3), g.ints(1))
    mean_b = g.op("Slice", means, g.ints(3), g.ints(6), g.ints(1))
    mean_alpha = g.op("Slice", means, g.ints(6), g.ints(7), g.ints(1))
    blurred_f = g.op("Div", mean_f, g.op("Add", mean_alpha, g.const(_TINY)))
    blurred_b = g.op("Div", mean_b, g.op("Add", g.op("Sub", g.const(1.0), mean_alpha), g.const(_TINY)))
    return blurred_f, blurred_b


def _corrected(g: GraphBuilder, image: str, alpha: str, blurred_f: str, blurred_b: str) -> str:
    """F̄ + α(I − αF̄ − (1 − α)B̄)."""
    mixed = g.op("Add", g.op("Mul", alpha, blurred_f),
                 g.op("Mul", g.op("Sub", g.const(1.0), alpha), blurred_b))
    return g.op("Add", blurred_f, g.op("Mul", alpha, g.op("Sub", image, mixed)))
