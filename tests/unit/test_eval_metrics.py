"""The evaluation metrics on synthetic alpha mattes with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from offcut.eval._fringe import fringe, reshoot_on_known_background
from offcut.eval._metrics import alpha_metrics, gradient_error, iou, mae, sad


def _square(size=64, lo=16, hi=48, value=255) -> np.ndarray:
    alpha = np.zeros((size, size), np.uint8)
    alpha[lo:hi, lo:hi] = value
    return alpha


def test_identical_mattes_are_perfect():
    truth = _square()
    m = alpha_metrics(truth, truth)
    assert (m.iou, m.mae, m.sad, m.grad) == (1.0, 0.0, 0.0, 0.0)


def test_iou_of_half_overlapping_squares():
    a = np.zeros((10, 10), np.uint8)
    b = np.zeros((10, 10), np.uint8)
    a[:, :6] = 255  # 60 px
    b[:, 4:] = 255  # 60 px, 20 shared, 100 in the union
    assert iou(a, b) == pytest.approx(20 / 100)


def test_iou_thresholds_at_128():
    truth = _square()
    assert iou(_square(value=128), truth) == 1.0
    assert iou(_square(value=127), truth) == 0.0


def test_iou_of_two_empty_mattes_is_one():
    empty = np.zeros((8, 8), np.uint8)
    assert iou(empty, empty) == 1.0


def test_mae_and_sad_of_a_uniform_offset():
    truth = np.zeros((100, 100), np.uint8)
    predicted = np.full((100, 100), 51, np.uint8)  # 0.2 everywhere
    assert mae(predicted, truth) == pytest.approx(0.2)
    assert sad(predicted, truth) == pytest.approx(10_000 * 0.2 / 1000)


def test_gradient_error_sees_edges_not_flat_offsets():
    truth = _square()
    blurred = truth.astype(float)
    for _ in range(3):  # soften the edges
        blurred = (blurred + np.roll(blurred, 1, 0) + np.roll(blurred, 1, 1) + np.roll(blurred, 1, (0, 1))) / 4
    soft = np.round(blurred).astype(np.uint8)
    assert gradient_error(soft, truth) > 0.01
    # A constant shift of a flat region has no gradient away from its border.
    flat = np.full((64, 64), 40, np.uint8)
    assert gradient_error(flat, np.zeros_like(flat)) == pytest.approx(0.0, abs=1e-12)


def test_gradient_magnitude_of_a_unit_step_peaks_at_one():
    from offcut.eval._metrics import _gradient_magnitude

    step = np.zeros((40, 40))
    step[:, 20:] = 1.0
    magnitude = _gradient_magnitude(step)
    assert magnitude.max() == pytest.approx(1.0)
    assert magnitude[:, :5].max() == pytest.approx(0.0, abs=1e-9)  # flat far from the step


def test_shapes_must_match():
    with pytest.raises(ValueError):
        mae(np.zeros((4, 4), np.uint8), np.zeros((4, 5), np.uint8))


def test_fringe_is_zero_for_a_perfect_foreground_and_positive_for_the_mixed_photo():
    rng = np.random.default_rng(0)
    photo = np.zeros((32, 32, 4), np.uint8)
    photo[..., :3] = rng.integers(0, 256, (32, 32, 3))
    photo[..., 3] = 255
    truth = np.zeros((32, 32), np.uint8)
    truth[8:24, 8:24] = 255
    truth[8:24, 6:8] = 128  # a soft band
    shot = reshoot_on_known_background(photo, truth)
    perfect = photo.copy()
    perfect[..., 3] = truth
    result = fringe(shot, perfect, photo, truth)
    assert result.after == pytest.approx(0.0, abs=1e-9)
    assert result.colour_after == pytest.approx(0.0, abs=1e-9)
    assert result.before > 10 and result.colour_before > 10  # the re-shot pixels carry the inverted backdrop
