"""Photo-guided edge refinement: a colour guided filter (He, Sun & Tang, 2013)
in its "fast" form (He & Sun, 2015, arXiv:1505.00996).

The linear coefficients (alpha ≈ A·rgb + B in every window) are solved on the
network's S×S grid, against the photo as resized for the network, and only
they are upsampled: at full resolution the cost is one multiply-add per
channel, and the edges follow the full-resolution photo, not the network's
grid. Before the filter, the mask's ramps are steepened a little
(``_STEEPEN``): the networks' edges are a few grid pixels wide, wider than
real edges once upsampled, and the filter puts the softness back where the
photo itself is soft (hair, motion blur).
"""

from __future__ import annotations

from ._box import box_mean, scaled_radius
from ._builder import GraphBuilder

__all__ = ["guided_coefficients", "split_coefficients", "apply_coefficients"]

_STEEPEN = 1.2     # slope of the linear contrast stretch about 0.5
_RADIUS = 4        # window radius on a 1024² grid (~0.4 % of the side); scaled with the grid
_EPSILON = 1e-4    # regulariser: colour variance (0..1 units) below which a window is "flat"
# The symmetric 3×3 covariance of the guide, stored as its six distinct entries.
_PAIRS = ((0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2))


def guided_coefficients(g: GraphBuilder, guide: str, mask: str, side: int) -> str:
    """guide [1, 3, S, S] in 0..1, mask [1, 1, S, S] → smoothed [1, 4, S, S] (A_r, A_g, A_b, B)."""
    radius = scaled_radius(_RADIUS, side)
    mask = _steepen(g, mask)
    channels = [g.op("Slice", guide, g.ints(c), g.ints(c + 1), g.ints(1)) for c in range(3)]
    products = [g.op("Mul", channels[i], channels[j]) for i, j in _PAIRS]
    stacked = g.op("Concat", guide, mask, g.op("Mul", guide, mask), *products, axis=1)
    means = box_mean(g, stacked, radius)

    def part(channel: int) -> str:
        return g.op("Slice", means, g.ints(channel), g.ints(channel + 1), g.ints(1))

    mean_i = [part(c) for c in range(3)]
    mean_p = part(3)
    covariance_ip = [g.op("Sub", part(4 + c), g.op("Mul", mean_i[c], mean_p)) for c in range(3)]
    sigma = {}
    for k, (i, j) in enumerate(_PAIRS):
        value = g.op("Sub", part(7 + k), g.op("Mul", mean_i[i], mean_i[j]))
        sigma[i, j] = sigma[j, i] = g.op("Add", value, g.const(_EPSILON)) if i == j else value
    a = _solve_symmetric3(g, sigma, covariance_ip)
    b = g.op("Sub", mean_p, _dot(g, a, mean_i))
    return box_mean(g, g.op("Concat", *a, b, axis=1), radius)


def apply_coefficients(g: GraphBuilder, a: str, b: str, guide: str) -> str:
    """A·guide + B with channels last: a, guide [1, h, w, 3], b [1, h, w, 1] → [1, h, w, 1], not clipped."""
    return g.op("Add", g.op("ReduceSum", g.op("Mul", a, guide), g.ints(3), keepdims=1), b)


def split_coefficients(g: GraphBuilder, coefficients: str) -> tuple[str, str]:
    """[1, 4, h, w] → (A [1, h, w, 3], B [1, h, w, 1]), channels last."""
    a = g.op("Slice", coefficients, g.ints(0), g.ints(3), g.ints(1))
    b = g.op("Slice", coefficients, g.ints(3), g.ints(4), g.ints(1))
    return g.op("Transpose", a, perm=[0, 2, 3, 1]), g.op("Transpose", b, perm=[0, 2, 3, 1])


def _steepen(g: GraphBuilder, mask: str) -> str:
    stretched = g.op("Add", g.op("Mul", g.op("Sub", mask, g.const(0.5)), g.const(_STEEPEN)), g.const(0.5))
    return g.op("Clip", stretched, g.const(0.0), g.const(1.0))


def _solve_symmetric3(g: GraphBuilder, m: dict, rhs: list[str]) -> list[str]:
    """Per pixel, x = M⁻¹·rhs for a symmetric positive-definite 3×3 M, by cofactors."""
    def two_by_two(p, q, r, s):  # m[p]·m[q] − m[r]·m[s]
        return g.op("Sub", g.op("Mul", m[p], m[q]), g.op("Mul", m[r], m[s]))

    cofactor = {
        (0, 0): two_by_two((1, 1), (2, 2), (1, 2), (1, 2)),
        (0, 1): two_by_two((0, 2), (1, 2), (0, 1), (2, 2)),
        (0, 2): two_by_two((0, 1), (1, 2), (0, 2), (1, 1)),
        (1, 1): two_by_two((0, 0), (2, 2), (0, 2), (0, 2)),
        (1, 2): two_by_two((0, 1), (0, 2), (0, 0), (1, 2)),
        (2, 2): two_by_two((0, 0), (1, 1), (0, 1), (0, 1)),
    }
    for i, j in list(cofactor):
        cofactor[j, i] = cofactor[i, j]
    determinant = _dot(g, [m[0, j] for j in range(3)], [cofactor[0, j] for j in range(3)])
    inverse_det = g.op("Reciprocal", determinant)
    return [g.op("Mul", _dot(g, [cofactor[i, j] for j in range(3)], rhs), inverse_det) for i in range(3)]


def _dot(g: GraphBuilder, xs: list[str], ys: list[str]) -> str:
    total = g.op("Mul", xs[0], ys[0])
    for x, y in zip(xs[1:], ys[1:], strict=True):
        total = g.op("Add", total, g.op("Mul", x, y))
    return total
