"""Quality smoke test: ISNet through the fused graph on ../shared/eval's binary masks."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

import offcut

from ..conftest import SHARED_EVAL

pytestmark = [pytest.mark.native, pytest.mark.eval]


def _binary_pairs():
    manifest = SHARED_EVAL / "manifest.json"
    if not manifest.exists():
        return []
    return [p for p in json.loads(manifest.read_text())["pairs"] if p["gt_type"] == "binary_mask"]


@pytest.mark.skipif(not _binary_pairs(), reason="../shared/eval is absent on this machine")
def test_isnet_mean_iou_on_binary_masks():
    ious = []
    for pair in _binary_pairs():
        alpha = offcut.remove(SHARED_EVAL / pair["image"], model="isnet", output="rgba")[..., 3]
        truth = np.asarray(Image.open(SHARED_EVAL / pair["alpha"]).convert("L"))
        ours, gt = alpha >= 128, truth >= 128
        ious.append((ours & gt).sum() / max((ours | gt).sum(), 1))
    assert np.mean(ious) >= 0.90, f"mean IoU {np.mean(ious):.3f}"
