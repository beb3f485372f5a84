"""Fusing a companion network's mask into the primary's.

ISNet draws the best silhouettes but leaves some subjects as a grey,
half-transparent veil (it is unsure, not wrong about the shape); U²-NetP is
rarely unsure about whole regions but has coarser edges and sometimes adds
background objects. The rule: the companion may move the primary's value
only where the primary itself is not certain, and only as far as the companion
is certain. Certainty of a probability p is (2p − 1)², 0 at 0.5 and 1 at 0 or 1.
The primary counts as certain only within ``_PRIMARY_SURE`` of 0 or 1, so a
veil at 0.2–0.8 is resolved, while a region ISNet calls background (ring
interiors, a tree behind the subject) stays background whatever the companion says.
"""

from __future__ import annotations

from ._builder import GraphBuilder

__all__ = ["fuse_masks", "COMPANION_SIDE"]

_PRIMARY_SURE = 0.02
#: The companion is fed 256×256, not its trained 320×320: it is fully
#: convolutional, only its region-level confidence is used, and 256² costs
#: 0.64× the compute (U²-NetP at 320² alone is ~35 % of ISNet's time on CPU).
#: On ../shared/eval the fused result is as good at 256 as at 320, worse at 192.
COMPANION_SIDE = 256


def fuse_masks(g: GraphBuilder, primary: str, companion: str) -> str:
    """Both [1, 1, S, S] in 0..1 on the same grid → the fused mask, same shape."""
    distance_to_certain = g.op("Min", primary, g.op("Sub", g.const(1.0), primary))
    primary_unsure = g.op("Clip", g.op("Div", distance_to_certain, g.const(_PRIMARY_SURE)),
                          g.const(0.0), g.const(1.0))
    centred = g.op("Sub", g.op("Mul", companion, g.const(2.0)), g.const(1.0))
    companion_sure = g.op("Mul", centred, centred)
    weight = g.op("Mul", primary_unsure, companion_sure)
    return g.op("Add", primary, g.op("Mul", g.op("Sub", companion, primary), weight), hint="fused_mask")
