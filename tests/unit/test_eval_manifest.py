"""Evaluation manifests: a bad one is refused up front, naming the file and the pair."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from offcut.eval import ManifestError, evaluate, load_manifest


def _write(folder, pairs) -> object:
    path = folder / "manifest.json"
    path.write_text(json.dumps({"pairs": pairs}))
    return path


def _pair(folder, pair_id="p1", gt_type="binary_mask", size=(16, 12), alpha_size=None):
    Image.new("RGB", size, "white").save(folder / f"{pair_id}.jpg")
    Image.new("L", alpha_size or size, 0).save(folder / f"{pair_id}.png")
    return {"id": pair_id, "gt_type": gt_type, "image": f"{pair_id}.jpg", "alpha": f"{pair_id}.png"}


def test_a_good_manifest_lists_its_pairs_with_paths_beside_it(tmp_path):
    path = _write(tmp_path, [_pair(tmp_path, "a"), _pair(tmp_path, "b", "soft_alpha")])
    pairs = load_manifest(path)
    assert [(p.id, p.gt_type) for p in pairs] == [("a", "binary_mask"), ("b", "soft_alpha")]
    assert pairs[0].load_rgba().shape == (12, 16, 4) and pairs[0].load_alpha().shape == (12, 16)


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json", "not a readable JSON manifest"),
        ('{"pairs": []}', "at least one pair"),
        ('[1, 2]', "at least one pair"),
        ('{"pairs": [{"id": "x"}]}', "pair #1 needs string fields"),
    ],
)
def test_malformed_manifests_are_refused(tmp_path, content, message):
    path = tmp_path / "manifest.json"
    path.write_text(content)
    with pytest.raises(ManifestError, match=message):
        load_manifest(path)


def test_unknown_kind_and_missing_files_name_the_pair(tmp_path):
    with pytest.raises(ManifestError, match="pair 'q' has unknown gt_type 'trimap'"):
        load_manifest(_write(tmp_path, [_pair(tmp_path, "q", gt_type="trimap")]))
    missing = _pair(tmp_path, "m")
    (tmp_path / "m.png").unlink()
    with pytest.raises(ManifestError, match=r"pair 'm': .*m\.png does not exist"):
        load_manifest(_write(tmp_path, [missing]))


def test_a_photo_and_alpha_of_different_sizes_stop_the_run_at_that_pair(tmp_path):
    path = _write(tmp_path, [_pair(tmp_path, "odd", size=(16, 12), alpha_size=(8, 6))])
    keep_alpha = lambda rgba: rgba  # noqa: E731 (a method that needs no model)
    with pytest.raises(ManifestError, match="pair 'odd': photo is 16×12, its alpha 8×6"):
        evaluate(path, {"identity": keep_alpha})


def test_offcut_eval_names_its_manifests(capsys):
    """No default path: an installed tool cannot know where a checkout's research data sits."""
    from offcut.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["eval"])
    assert exited.value.code == 2 and "MANIFEST" in capsys.readouterr().err
