"""Held-out quality: the default on eval v2's *report* half, the photos no constant was tuned on.

The figures are locked a little below what the default measures today
(README "Cutout quality", 2026-12-01: IoU 0.8907, MAE 0.0269, people 0.8993,
soft SAD 5.98, gradient 0.998), so a change that quietly costs held-out
quality fails the build. The margins cover method noise between machines
(int8 kernels differ by CPU), not regressions. Only our default runs here
(~2 minutes); `make eval-v2` adds the peers and the intervals. The do-no-harm
count compares each photo with ISNet as imgly runs it, from per-photo scores
committed beside this file (``reference_scores.py`` writes them).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from offcut import DEFAULT_MODEL_ID
from offcut.eval import evaluate, pipeline_method

from ..conftest import SHARED_EVAL

pytestmark = [pytest.mark.native, pytest.mark.eval]

V2 = SHARED_EVAL / "v2"
MANIFESTS = [V2 / "manifest.json", V2 / "people-removebg.json"]
needs_v2 = pytest.mark.skipif(not all(m.exists() for m in MANIFESTS), reason="../shared/eval/v2 is absent here")

MIN_IOU, MAX_MAE = 0.885, 0.029  # ECSSD human masks (n = 126)
MIN_PEOPLE_IOU = 0.892  # against remove.bg's masks (n = 37)
MAX_SAD, MAX_GRAD = 6.5, 1.08  # alphamatting.com mattes (n = 5)
# Do no harm: photos losing more than 0.05 IoU against ISNet as imgly runs it
# (today 20 of 126 ECSSD masks and 3 of 37 people; issue 8's goal is 2 %).
MAX_LOSING = {"binary_mask": 22, "peer_removebg_mask": 4}
IMGLY_IOU = json.loads((Path(__file__).with_name("imgly_report_iou.json")).read_text())["iou"]


@pytest.fixture(scope="module")
def report():
    return evaluate(MANIFESTS, {"ours": pipeline_method(DEFAULT_MODEL_ID)}, half="report")


@needs_v2
def test_the_report_half_is_the_one_measured(report):
    counts = {kind: len(report.of_type(kind)) for kind in ("binary_mask", "peer_removebg_mask", "soft_alpha")}
    assert counts == {"binary_mask": 126, "peer_removebg_mask": 37, "soft_alpha": 5}


@needs_v2
def test_held_out_silhouettes(report):
    ours = report.mean("ours", "binary_mask")
    assert ours.iou >= MIN_IOU and ours.mae <= MAX_MAE, ours


@needs_v2
def test_held_out_people(report):
    assert report.mean("ours", "peer_removebg_mask").iou >= MIN_PEOPLE_IOU


@needs_v2
def test_held_out_soft_mattes(report):
    ours = report.mean("ours", "soft_alpha")
    assert ours.sad <= MAX_SAD and ours.grad <= MAX_GRAD, ours


@needs_v2
@pytest.mark.parametrize("kind", sorted(MAX_LOSING))
def test_do_no_harm_against_isnet_alone(report, kind):
    pairs = report.of_type(kind)
    change = report.scores("ours", "iou", pairs) - np.array([IMGLY_IOU[pair.id] for pair in pairs])
    losing = [pair.id for pair, c in zip(pairs, change, strict=True) if c < -0.05]
    assert len(losing) <= MAX_LOSING[kind], f"{len(losing)} photos lose > 0.05 IoU against ISNet alone: {losing}"
