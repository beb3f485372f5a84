"""The quality lock for issue 4: the default pipeline against the targets and the anchors.

Runs the evaluation harness (the same code as ``make eval``) once over
``../shared/eval`` — skipped only when that folder is absent — and fails the
build when a target is missed. A speed-independent check bounds the work the
default graph does at full resolution, so a change that would blow the speed
budget fails here even on a noisy machine.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from offcut import DEFAULT_MODEL_ID, get_model
from offcut._store import ensure_fused_graph
from offcut.eval import anchor_method, evaluate, format_report, pipeline_method

from ..conftest import SHARED_EVAL

pytestmark = [pytest.mark.native, pytest.mark.eval]

MANIFEST = SHARED_EVAL / "manifest.json"
needs_eval_set = pytest.mark.skipif(not MANIFEST.exists(), reason="../shared/eval is absent on this machine")

# Issue 4's targets on ../shared/eval (the anchors measured here: imgly IoU 0.961 / MAE 0.024 /
# soft SAD 30.3, rembg-U²-NetP IoU 0.938 / MAE 0.037 / soft SAD 2.9). Issue 7 moved ISNet to a
# 768² grid (0.61× the graph time) for -0.006 IoU on the tune half of eval v2; on these 10 photos
# the default went from 0.9623 to 0.9599, so the IoU floor is 0.955 (MAE and SAD unchanged).
BINARY_MIN_IOU, BINARY_MAX_MAE, SOFT_MAX_SAD = 0.955, 0.022, 5.0


@pytest.fixture(scope="module")
def report(artifacts_dir):
    methods = {"ours": pipeline_method(DEFAULT_MODEL_ID),
               "imgly": anchor_method("imgly"), "rembg-u2netp": anchor_method("rembg-u2netp")}
    result = evaluate(MANIFEST, methods, artifacts_dir / "quality-contact-sheet.png")
    (artifacts_dir / "quality-report.txt").write_text(format_report(result) + "\n")
    return result


@needs_eval_set
def test_binary_masks_meet_the_targets(report):
    ours = report.mean("ours", "binary_mask")
    assert ours.iou >= BINARY_MIN_IOU, f"mean IoU {ours.iou:.4f}; see {report.sheet}"
    assert ours.mae <= BINARY_MAX_MAE, f"mean MAE {ours.mae:.4f}; see {report.sheet}"


@needs_eval_set
def test_soft_mattes_meet_the_targets(report):
    ours = report.mean("ours", "soft_alpha")
    best_anchor_grad = min(report.mean(name, "soft_alpha").grad for name in ("imgly", "rembg-u2netp"))
    assert ours.sad <= SOFT_MAX_SAD, f"mean SAD {ours.sad:.2f}; see {report.sheet}"
    assert ours.grad <= best_anchor_grad, f"gradient error {ours.grad:.3f} > best anchor {best_anchor_grad:.3f}"


@needs_eval_set
@pytest.mark.parametrize("anchor", ["imgly", "rembg-u2netp"])
def test_beats_each_anchor_on_both_kinds(report, anchor):
    for gt_type in ("binary_mask", "soft_alpha"):
        ours, theirs = report.mean("ours", gt_type), report.mean(anchor, gt_type)
        assert ours.mae < theirs.mae and ours.sad < theirs.sad, f"{gt_type}: {ours} vs {anchor} {theirs}"


@needs_eval_set
def test_decontamination_reduces_the_fringe(report):
    assert report.fringes, "no soft pairs were measured"
    for pair_id, result in report.fringes.items():
        assert result.after < 0.95 * result.before, f"{pair_id}: fringe {result.before:.2f} → {result.after:.2f}"



# --- speed-independent: how much the default graph computes at full resolution ---------------

_VIEWS = {"Reshape", "Unsqueeze", "Squeeze", "Identity"}  # no pixel work


def _full_resolution_channel_passes(model_id: str, height: int = 300, width: int = 420) -> float:
    """Σ over the nodes that run at H×W (the pipeline's, not the networks', which run on the grid)
    of the bytes they write, in float channels (a uint8 channel counts ¼): a proxy for
    full-resolution memory traffic, the part of the cost that grows with the photo.

    Read from ONNX Runtime's profile, which lists the nodes inside the band loop too (a photo
    this small is one band, so its tensors have the photo's H and W)."""
    options = ort.SessionOptions()
    options.enable_profiling = True
    options.profile_file_prefix = str(Path(tempfile.mkdtemp()) / "passes")
    session = ort.InferenceSession(str(ensure_fused_graph(get_model(model_id))), options,
                                   providers=["CPUExecutionProvider"])
    session.run(None, {"image": np.zeros((height, width, 4), np.uint8)})
    events = json.loads(Path(session.end_profiling()).read_text())
    item_bytes = {"float": 4, "uint8": 1, "int64": 8, "bool": 1}
    passes = 0.0
    for event in events:
        args = event.get("args", {})
        if event.get("cat") != "Node" or not event["name"].endswith("_kernel_time") or args.get("op_name") in _VIEWS:
            continue
        for output in args.get("output_type_shape", []):
            for kind, shape in output.items():
                if height in shape and width in shape:
                    passes += item_bytes.get(kind, 4) * int(np.prod(shape)) / (4 * height * width)
    return passes


def test_default_graph_full_resolution_work_is_bounded():
    """ISNet-only writes ~10 float channels' worth at H×W; the guided filter adds ~14, and
    decontamination touches only the soft pixels (gathered, not dense). At 12 MP each float
    channel-pass costs ~10–20 ms here, so this caps the growth (issue 4: ≤ +25 % in the browser;
    bench/graphs.py measures it)."""
    plain = _full_resolution_channel_passes("isnet")
    default = _full_resolution_channel_passes(DEFAULT_MODEL_ID)
    assert default <= plain + 16, f"default graph: {default:.0f} full-resolution channel-passes, ISNet-only {plain:.0f}"


def test_default_graph_embeds_exactly_the_networks_its_row_names():
    spec = get_model(DEFAULT_MODEL_ID)
    model = onnx.load(str(ensure_fused_graph(spec)), load_external_data=False)
    prefixes = {n.output[0].split("/")[0] for n in model.graph.node if "/" in n.output[0]}
    assert prefixes == {"net"} | {f"net{i}" for i in range(1, len(spec.fused_with) + 1)}
    assert all(n.domain in ("", "ai.onnx") for n in model.graph.node)  # standard ops, no contrib/custom
    assert model.opset_import[0].version == 18
