"""The eval harness over several manifests: halves, intervals, the regression view, the peers' cache.

The methods here are plain functions of the photo (no model needed): each
photo's brightness decides how good a method's mask is, so the expected
scores are known exactly.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from offcut.eval import ManifestError, evaluate, format_report
from offcut.eval import _methods
from offcut.eval._harness import SHEET_ROWS
from offcut.eval._split import half_of

SIZE = 20  # photos are SIZE × SIZE; the subject is the left half


def _manifest(folder, name, ids, gt_type="binary_mask", source=None):
    rows = []
    for index, pair_id in enumerate(ids):
        Image.new("RGB", (SIZE, SIZE), (index * 9 % 256, 0, 0)).save(folder / f"{pair_id}.png")
        truth = np.zeros((SIZE, SIZE), np.uint8)
        truth[:, : SIZE // 2] = 255
        Image.fromarray(truth).save(folder / f"{pair_id}_alpha.png")
        row = {"id": pair_id, "gt_type": gt_type, "image": f"{pair_id}.png", "alpha": f"{pair_id}_alpha.png"}
        if source:
            row["source"] = {"kind": "github", "repo": source}
        rows.append(row)
    path = folder / name
    path.write_text(json.dumps({"pairs": rows}))
    return path


def _columns(count: int):
    """A method whose mask covers the first ``count`` columns."""
    def run(rgba):
        cutout = rgba.copy()
        cutout[..., 3] = 0
        cutout[:, :count, 3] = 255
        return cutout
    return run


def _worse_on_bright_red(rgba):
    """Perfect, except on photos whose red is above 100: there it covers 5 of the 10 columns."""
    return _columns(5 if rgba[0, 0, 0] > 100 else SIZE // 2)(rgba)


def test_several_manifests_make_one_set_and_each_half_is_the_split_rule(tmp_path):
    a = _manifest(tmp_path, "a.json", [f"a{i}" for i in range(20)], source="org/a")
    b = _manifest(tmp_path, "b.json", [f"b{i}" for i in range(20)], gt_type="peer_removebg_mask", source="org/b")
    methods = {"ours": _columns(SIZE // 2), "imgly": _columns(5)}
    every = evaluate([a, b], methods)
    assert len(every.pairs) == 40 and {p.source for p in every.pairs} == {"org/a", "org/b"}
    for half in ("tune", "report"):
        report = evaluate([a, b], methods, half=half)
        assert report.pairs and all(half_of(p.id) == half for p in report.pairs)
    assert len(evaluate([a, b], methods, half="tune").pairs) + len(evaluate([a, b], methods, half="report").pairs) == 40


def test_a_pair_id_in_two_manifests_is_refused(tmp_path):
    a = _manifest(tmp_path, "a.json", ["x", "y"])
    b = _manifest(tmp_path, "b.json", ["y"])
    with pytest.raises(ManifestError, match=r"pair id 'y' is also in .*a\.json"):
        evaluate([a, b], {"ours": _columns(10)})


def test_report_has_intervals_paired_differences_and_the_regressions(tmp_path):
    ids = [f"p{i}" for i in range(30)]  # red = i * 9: p12 … p28 (17 photos) are above 100
    path = _manifest(tmp_path, "m.json", ids)
    report = evaluate(path, {"ours": _worse_on_bright_red, "imgly": _columns(SIZE // 2)})
    change = report.iou_change(report.pairs)
    assert (change < -0.05).sum() == 17 and np.allclose(change[change < 0], -0.5)
    text = format_report(report)
    assert "binary_mask (n = 30)" in text
    # ours: IoU 1 on 13 photos, 0.5 on 17 → mean 0.7167; ours − imgly = −0.2833, paired
    assert "iou  ours           0.7167 [" in text
    assert "iou  ours − imgly: -0.2833 [" in text
    assert "binary_mask (n = 30): 17 lose more than 0.05 (56.7%), 0 gain more than 0.05" in text
    worst = text.split("worst: ")[1].splitlines()[0]
    assert worst.count("-0.500") == SHEET_ROWS and "p0 " not in worst


def test_the_regression_view_counts_every_method_against_the_reference(tmp_path):
    path = _manifest(tmp_path, "m.json", [f"p{i}" for i in range(30)])
    methods = {"ours": _columns(SIZE // 2), "candidate": _worse_on_bright_red, "imgly": _columns(SIZE // 2)}
    text = format_report(evaluate(path, methods))
    assert "binary_mask (n = 30): 0 lose more than 0.05 (0.0%), 0 gain more than 0.05" in text
    assert "  candidate: 17 lose more than 0.05 (56.7%), 0 gain more than 0.05" in text
    assert "  imgly:" not in text


def test_a_large_set_shows_only_its_worst_photos_in_the_sheet(tmp_path):
    path = _manifest(tmp_path, "m.json", [f"p{i}" for i in range(30)])
    sheet = tmp_path / "sheet.png"
    small = evaluate(_manifest(tmp_path, "s.json", ["s0", "s1", "s2"]), {"ours": _columns(10), "imgly": _columns(5)},
                     tmp_path / "small.png")
    large = evaluate(path, {"ours": _worse_on_bright_red, "imgly": _columns(SIZE // 2)}, sheet)
    rows = lambda report: (Image.open(report.sheet).height - 20) // 184  # noqa: E731 (row height + gap)
    assert rows(small) == 3 and rows(large) == SHEET_ROWS


def test_a_peers_alpha_is_cached_by_the_photos_content(tmp_path, monkeypatch):
    calls = []

    def counted(rgba):
        calls.append(1)
        return np.full(rgba.shape[:2], 77, np.uint8)

    monkeypatch.setitem(_methods.ANCHORS, "imgly", counted)
    method = _methods.anchor_method("imgly", tmp_path / "cache")
    photo = np.zeros((6, 8, 4), np.uint8)
    first, again = method(photo), method(photo.copy())
    assert len(calls) == 1 and (first[..., 3] == 77).all() and (again == first).all()
    method(photo + 1)  # other pixels: computed
    assert len(calls) == 2
    assert len(list((tmp_path / "cache").rglob("*.png"))) == 2 and not list((tmp_path / "cache").rglob("*.partial"))
