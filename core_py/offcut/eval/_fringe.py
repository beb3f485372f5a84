"""A fringe (halo) measure for colour decontamination.

Real matting benchmarks give the true alpha but not the true foreground
colour, so the measure re-shoots each soft pair on a known background: with
F := the photo and B := a contrasting texture (the photo mirrored and
colour-inverted), I = α_gt·F + (1 − α_gt)·B is physically consistent and F is
known exactly. The method cuts I out; its cutout and the truth are both
composited on a new flat colour, and the fringe is the mean RGB distance
(0..255 units) between the two composites over the ground truth's soft band
(0 < α_gt < 255). "Before" keeps I's own colours under the method's alpha,
"after" uses the method's RGB: the difference is the decontamination alone.
``colour_before``/``colour_after`` isolate colour from alpha error: the
reference there is the true F under the method's own alpha, over the
method's soft band (0 < α < 255, where decontamination writes) minus the
pixels the truth calls pure background.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["FringeResult", "reshoot_on_known_background", "fringe", "NEW_BACKGROUND"]

NEW_BACKGROUND = np.array([40.0, 200.0, 60.0])  # green: far from skin, fur and the inverted backdrop


@dataclass(frozen=True)
class FringeResult:
    before: float  # the photo's colours under our alpha, against the true composite
    after: float   # our cutout's colours under our alpha, against the true composite
    colour_before: float  # the same against the true F under our alpha, on our soft band
    colour_after: float


def reshoot_on_known_background(rgba: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """The photo composited with the true alpha over a contrasting backdrop, uint8 RGBA."""
    foreground = rgba[..., :3].astype(np.float64)
    backdrop = 255.0 - foreground[:, ::-1]
    alpha = truth.astype(np.float64)[..., None] / 255.0
    shot = rgba.copy()
    shot[..., :3] = np.round(alpha * foreground + (1 - alpha) * backdrop).astype(np.uint8)
    shot[..., 3] = 255
    return shot


def fringe(shot: np.ndarray, cutout: np.ndarray, foreground: np.ndarray, truth: np.ndarray) -> FringeResult:
    """shot: the re-shot input; cutout: the method's result on it; foreground: the true F (the photo)."""
    band = (truth > 0) & (truth < 255)
    alpha_truth = truth.astype(np.float64)[..., None] / 255.0
    expected = _over(foreground[..., :3].astype(np.float64), alpha_truth)
    alpha = cutout[..., 3:4].astype(np.float64) / 255.0
    before = _over(shot[..., :3].astype(np.float64), alpha)
    after = _over(cutout[..., :3].astype(np.float64), alpha)
    # Where the truth is 0 the shot holds only backdrop: no method can recover F there.
    own_band = (cutout[..., 3] > 0) & (cutout[..., 3] < 255) & (truth > 0)
    own_expected = _over(foreground[..., :3].astype(np.float64), alpha)

    def distance(composite, reference, where):
        return float(np.linalg.norm(composite - reference, axis=-1)[where].mean()) if where.any() else 0.0

    return FringeResult(before=distance(before, expected, band), after=distance(after, expected, band),
                        colour_before=distance(before, own_expected, own_band),
                        colour_after=distance(after, own_expected, own_band))


def _over(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    return alpha * rgb + (1 - alpha) * NEW_BACKGROUND
