"""build/graph_parts.py cuts a graph into a skeleton and parts over its network
file; the extension's assembler (graph_parts.js, run here under Node by the
build's own check) puts back the very same bytes."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "build"))

from graph_parts import dequantize_scales, raw_tensors, split_graph  # noqa: E402


def _network(weights: np.ndarray, kept: np.ndarray) -> onnx.ModelProto:
    graph = helper.make_graph([], "network", [], [helper.make_tensor_value_info("w", TensorProto.FLOAT16, None)],
                              [numpy_helper.from_array(weights, "w"), numpy_helper.from_array(kept, "kept")])
    return helper.make_model(graph)


def _graph(weights: np.ndarray, kept: np.ndarray, scales: np.ndarray, *, nudge: bool = False) -> onnx.ModelProto:
    """What the build makes of the network: `w` in int8 per output channel
    (its scales as packed float_data, as ONNX Runtime's quantiser writes them),
    `kept` as it is, and one fp16 tensor of its own."""
    quantised = np.clip(np.round(weights.astype(np.float32) / scales[:, None]), -127, 127).astype(np.int8)
    if nudge:
        quantised[0, 0] += 1  # not what the network's weights give: must stay in the skeleton
    initializers = [
        numpy_helper.from_array(quantised, "net/w_quantized"),
        helper.make_tensor("net/w_scale", TensorProto.FLOAT, scales.shape, scales.tolist()),
        numpy_helper.from_array(np.zeros(len(scales), np.int8), "net/w_zero_point"),
        numpy_helper.from_array(kept, "net/kept"),
        numpy_helper.from_array(np.arange(4096, dtype=np.float16), "own"),
    ]
    node = helper.make_node("DequantizeLinear", ["net/w_quantized", "net/w_scale", "net/w_zero_point"], ["y"], axis=0)
    graph = helper.make_graph([node], "pipeline", [], [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                              initializers)
    return helper.make_model(graph)


def _weights() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    weights = rng.normal(0, 0.05, (8, 1024)).astype(np.float16)
    weights[0, :4] = [1.25, 1.75, -1.25, 100.0]  # halves (scale 0.5 below) and one clipped value
    scales = (np.abs(weights.astype(np.float32)).max(axis=1) / 127).astype(np.float32)
    scales[0] = 0.5
    kept = rng.normal(0, 1, 4096).astype(np.float16)
    return weights, kept, scales


def test_split_and_assemble_give_back_the_graph_byte_for_byte(tmp_path):
    weights, kept, scales = _weights()
    network = _network(weights, kept).SerializeToString()
    model = _graph(weights, kept, scales)
    graph = model.SerializeToString()
    skeleton, parts = split_graph(graph, network, dequantize_scales(model))
    assert sorted(part.kind for part in parts) == ["copy", "int8"]
    tensors = raw_tensors(graph)
    int8 = next(part for part in parts if part.kind == "int8")
    assert (int8.at, int8.count, int8.channels) == (tensors["net/w_quantized"].offset, 8192, 8)
    assert int8.scale_at == tensors["net/w_scale"].offset  # packed float_data, located like raw bytes
    assert len(skeleton) == len(graph) - 8192 - 2 * 4096
    assert _assembled_by_the_extension(tmp_path, graph, skeleton, parts, network)


def test_a_tensor_the_network_does_not_give_stays_in_the_skeleton(tmp_path):
    weights, kept, scales = _weights()
    network = _network(weights, kept).SerializeToString()
    model = _graph(weights, kept, scales, nudge=True)
    graph = model.SerializeToString()
    skeleton, parts = split_graph(graph, network, dequantize_scales(model))
    assert [part.kind for part in parts] == ["copy"]
    assert _assembled_by_the_extension(tmp_path, graph, skeleton, parts, network)


def test_a_quantised_networks_uint8_weights_are_copied_verbatim(tmp_path):
    """A uint8-quantised network (the catalog's isnet-quint8) embedded as it is: its
    uint8 weights become one-byte copy parts; a uint8 tensor the network does not
    hold, and one of another type with the same bytes, stay in the skeleton."""
    rng = np.random.default_rng(3)
    weights = rng.integers(0, 256, 6000, dtype=np.uint8)
    other = rng.integers(0, 256, 5000, dtype=np.uint8)
    network = helper.make_model(helper.make_graph(
        [], "network", [], [helper.make_tensor_value_info("w", TensorProto.UINT8, None)],
        [numpy_helper.from_array(weights, "w"), numpy_helper.from_array(other.view(np.int8), "other")]))
    graph = helper.make_model(helper.make_graph(
        [], "pipeline", [], [helper.make_tensor_value_info("net/w", TensorProto.UINT8, None)],
        [numpy_helper.from_array(weights, "net/w"),
         numpy_helper.from_array(other, "net/other"),  # same bytes as the network's int8 tensor, but uint8
         numpy_helper.from_array(rng.integers(0, 256, 4096, dtype=np.uint8), "own")])).SerializeToString()
    skeleton, parts = split_graph(graph, network.SerializeToString(), {})
    assert [(part.kind, part.width, part.count) for part in parts] == [("copy", 1, 6000)]
    assert len(skeleton) == len(graph) - 6000
    assert _assembled_by_the_extension(tmp_path, graph, skeleton, parts, network.SerializeToString())


def _assembled_by_the_extension(folder: Path, graph: bytes, skeleton: bytes, parts, network: bytes) -> bool:
    (folder / "g.skeleton").write_bytes(skeleton)
    (folder / "net.onnx").write_bytes(network)
    manifest = {"bytes": len(graph), "sha256": hashlib.sha256(graph).hexdigest(), "graph": "g.onnx",
                "skeleton": {"file": "g.skeleton"}, "parts": [part.as_json() for part in parts],
                "network": {"file": "net.onnx"}}
    (folder / "default.json").write_text(json.dumps(manifest))
    check = subprocess.run(["node", str(ROOT / "build" / "check_graph_parts.mjs"), str(folder / "default.json")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    return "identical" in check.stdout
