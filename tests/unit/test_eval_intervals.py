"""Bootstrap intervals of eval means and paired differences (offcut.eval._intervals)."""

from __future__ import annotations

import numpy as np
import pytest

from offcut.eval._intervals import mean_interval, paired_difference


def test_interval_brackets_the_mean_and_shrinks_with_more_photos():
    rng = np.random.default_rng(1)
    few, many = rng.normal(0.9, 0.05, 20), rng.normal(0.9, 0.05, 2000)
    small, large = mean_interval(few), mean_interval(many)
    for interval, values in ((small, few), (large, many)):
        assert interval.low < interval.mean < interval.high
        assert interval.mean == pytest.approx(values.mean())
    assert (large.high - large.low) < (small.high - small.low) / 5
    # ~ ±1.96 standard errors for a normal sample
    assert large.high - large.low == pytest.approx(2 * 1.96 * many.std() / np.sqrt(many.size), rel=0.1)


def test_same_scores_give_the_same_interval():
    values = np.linspace(0, 1, 50)
    assert mean_interval(values) == mean_interval(values.copy())


def test_constant_scores_have_no_spread():
    interval = mean_interval([0.5] * 10)
    assert (interval.low, interval.mean, interval.high, interval.n) == (0.5, 0.5, 0.5, 10)


def test_paired_difference_removes_the_photos_shared_difficulty():
    rng = np.random.default_rng(2)
    difficulty = rng.uniform(0.3, 1.0, 200)  # varies a lot from photo to photo
    theirs = difficulty
    ours = difficulty + 0.01 + rng.normal(0, 0.002, 200)  # a small, consistent gain
    paired = paired_difference(ours, theirs)
    assert 0.009 < paired.low < paired.mean < paired.high < 0.011
    unpaired_width = (mean_interval(ours).high - mean_interval(ours).low)
    assert paired.high - paired.low < unpaired_width / 10


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="non-empty"):
        mean_interval([])
    with pytest.raises(ValueError, match="differ in length"):
        paired_difference([1, 2], [1])


def test_format():
    assert mean_interval([0.25, 0.25]).format(3) == "0.250 [0.250, 0.250]"
    assert paired_difference([0.3], [0.1]).format(2, signed=True) == "+0.20 [+0.20, +0.20]"
