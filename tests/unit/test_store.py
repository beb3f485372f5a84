"""The model and graph store: stale graphs do not pile up."""

from __future__ import annotations

from offcut import get_model
from offcut._store import _remove_stale_graphs


def test_a_new_graph_replaces_its_own_older_builds_only(tmp_path):
    names = ["isnet-0123456789ab.onnx", "isnet-ba9876543210.onnx",  # isnet: current and one stale
             "isnet-fusion-0123456789ab.onnx", "isnet-quint8-aaaaaaaaaaaa.onnx",  # other rows' graphs
             "isnet-0123456789ab.4242.partial", "notes.txt"]  # not graphs of a row
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    _remove_stale_graphs(get_model("isnet"), tmp_path / "isnet-0123456789ab.onnx")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(set(names) - {"isnet-ba9876543210.onnx"})
