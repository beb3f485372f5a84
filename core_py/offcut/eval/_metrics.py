"""Alpha-matte quality metrics, as used by matting and segmentation benchmarks.

All take uint8 alpha arrays [H, W] (0..255) of the same shape. Alpha is
compared as 0..1; SAD and gradient error follow alphamatting.com (Rhemann et
al., CVPR 2009): SAD = Σ|α − α_gt| / 1000, gradient error = Σ(‖∇α‖ − ‖∇α_gt‖)² / 1000
with first-derivative-of-Gaussian filters, σ = 1.4. Without a trimap every
pixel counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["AlphaMetrics", "alpha_metrics", "iou", "mae", "sad", "gradient_error", "METRIC_NAMES"]

METRIC_NAMES = ("iou", "mae", "sad", "grad")
_THRESHOLD = 128  # a pixel is foreground when alpha >= 128
_GRADIENT_SIGMA = 1.4


@dataclass(frozen=True)
class AlphaMetrics:
    iou: float
    mae: float
    sad: float
    grad: float


def alpha_metrics(predicted: np.ndarray, truth: np.ndarray) -> AlphaMetrics:
    return AlphaMetrics(iou(predicted, truth), mae(predicted, truth), sad(predicted, truth),
                        gradient_error(predicted, truth))


def iou(predicted: np.ndarray, truth: np.ndarray) -> float:
    """Intersection over union of the masks ``alpha >= 128``; 1.0 when both are empty."""
    _check(predicted, truth)
    p, t = predicted >= _THRESHOLD, truth >= _THRESHOLD
    union = np.count_nonzero(p | t)
    return 1.0 if union == 0 else np.count_nonzero(p & t) / union


def mae(predicted: np.ndarray, truth: np.ndarray) -> float:
    """Mean absolute difference of alpha in 0..1."""
    return float(np.mean(_difference(predicted, truth)))


def sad(predicted: np.ndarray, truth: np.ndarray) -> float:
    """Sum of absolute differences of alpha in 0..1, divided by 1000."""
    return float(np.sum(_difference(predicted, truth)) / 1000.0)


def gradient_error(predicted: np.ndarray, truth: np.ndarray) -> float:
    _check(predicted, truth)
    p = _gradient_magnitude(predicted.astype(np.float64) / 255.0)
    t = _gradient_magnitude(truth.astype(np.float64) / 255.0)
    return float(np.sum((p - t) ** 2) / 1000.0)


def _difference(predicted: np.ndarray, truth: np.ndarray) -> np.ndarray:
    _check(predicted, truth)
    return np.abs(predicted.astype(np.float64) - truth.astype(np.float64)) / 255.0


def _check(predicted: np.ndarray, truth: np.ndarray) -> None:
    if predicted.shape != truth.shape or predicted.ndim != 2:
        raise ValueError(f"alpha shapes differ or are not 2-D: {predicted.shape} vs {truth.shape}")


def _gradient_magnitude(alpha: np.ndarray) -> np.ndarray:
    """‖∇α‖ with separable Gaussian and derivative-of-Gaussian kernels (edges replicated)."""
    radius = int(np.ceil(3 * _GRADIENT_SIGMA))
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    gauss = np.exp(-x**2 / (2 * _GRADIENT_SIGMA**2))
    gauss /= gauss.sum()
    derivative = -x * gauss / _GRADIENT_SIGMA**2
    derivative /= np.sum(np.abs(derivative)) / 2  # a unit step gives a unit response
    dx = _convolve_rows(_convolve_rows(alpha.T, gauss).T, derivative)
    dy = _convolve_rows(_convolve_rows(alpha, gauss).T, derivative).T
    return np.hypot(dx, dy)


def _convolve_rows(values: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Correlate every row with ``kernel`` (odd length), replicating the edges."""
    radius = len(kernel) // 2
    padded = np.pad(values, ((0, 0), (radius, radius)), mode="edge")
    out = np.zeros_like(values)
    for offset, weight in enumerate(kernel):
        out += weight * padded[:, offset:offset + values.shape[1]]
    return out
