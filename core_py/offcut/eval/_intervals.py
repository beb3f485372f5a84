"""Means with 95 % bootstrap intervals, and paired intervals for differences.

A mean over a few hundred photos moves by more than most of the changes we
weigh, so every mean is reported with the range it would plausibly take on
another sample of photos like these: the 2.5th and 97.5th percentiles of the
mean over resamples of the photos (with replacement). A difference between
two methods is bootstrapped *paired*, photo by photo, so the photos' own
difficulty, shared by both methods, does not widen it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Interval", "mean_interval", "paired_difference"]

RESAMPLES = 10_000
_SEED = 0  # fixed: the same scores always give the same interval


@dataclass(frozen=True)
class Interval:
    mean: float
    low: float
    high: float
    n: int

    def format(self, digits: int = 4, signed: bool = False) -> str:
        sign = "+" if signed else ""
        return f"{self.mean:{sign}.{digits}f} [{self.low:{sign}.{digits}f}, {self.high:{sign}.{digits}f}]"


def mean_interval(values, resamples: int = RESAMPLES) -> Interval:
    """The mean of ``values`` and its 95 % percentile-bootstrap interval."""
    values = np.asarray(values, np.float64)
    if values.ndim != 1 or values.size == 0:
        raise ValueError("need a non-empty 1-D list of scores")
    rng = np.random.default_rng(_SEED)
    means = np.empty(resamples)
    for start in range(0, resamples, 1000):  # bounded memory for large sets
        count = min(1000, resamples - start)
        means[start:start + count] = values[rng.integers(0, values.size, (count, values.size))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return Interval(float(values.mean()), float(low), float(high), int(values.size))


def paired_difference(ours, theirs, resamples: int = RESAMPLES) -> Interval:
    """Mean of ``ours − theirs`` over the same photos, with its paired 95 % interval."""
    ours, theirs = np.asarray(ours, np.float64), np.asarray(theirs, np.float64)
    if ours.shape != theirs.shape:
        raise ValueError(f"paired scores differ in length: {ours.shape} vs {theirs.shape}")
    return mean_interval(ours - theirs, resamples)
