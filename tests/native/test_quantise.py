"""ISNet's int8 form (graph/_quantise.py): what is quantised, and what it costs the mask."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper
from PIL import Image

from offcut import get_model
from offcut._store import model_path
from offcut.graph._network import network_for_grid
from offcut.graph._quantise import calibration_path, kept_in_float, prepared_for_quantisation, quantised

from ..conftest import PHOTO_NAMES, photo_path
from ._reference import network_input

SPEC = get_model("isnet-fusion")


def _tiny_network(head: list[str]) -> onnx.ModelProto:
    """x → Conv → Relu → Conv → ``head`` ops → y."""
    weight = numpy_helper.from_array(np.ones((1, 1, 1, 1), np.float32), "w")
    nodes = [helper.make_node("Conv", ["x", "w"], ["a"], name="conv1"),
             helper.make_node("Relu", ["a"], ["b"], name="relu"),
             helper.make_node("Conv", ["b", "w"], ["c"], name="conv2")]
    for i, op in enumerate(head):
        nodes.append(helper.make_node(op, [nodes[-1].output[0]], [f"h{i}"], name=f"head{i}"))
    nodes[-1].output[0] = "y"
    value = helper.make_tensor_value_info
    graph = helper.make_graph(nodes, "tiny", [value("x", TensorProto.FLOAT, [1, 1, 4, 4])],
                              [value("y", TensorProto.FLOAT, [1, 1, 4, 4])], initializer=[weight])
    return helper.make_model(graph)


def test_the_output_head_is_kept_in_float():
    assert kept_in_float(_tiny_network(["Sigmoid"])) == ["head0", "conv2"]
    assert kept_in_float(_tiny_network([])) == ["conv2"]


def test_a_network_without_a_final_convolution_is_refused():
    network = _tiny_network(["Sigmoid"])
    for node in network.graph.node:
        if node.op_type == "Conv":
            node.op_type = "Add"  # same inputs, no convolution anywhere on the output's path
    with pytest.raises(ValueError, match="not computed from a convolution"):
        kept_in_float(network)


@pytest.fixture(scope="module")
def networks():
    float_network = network_for_grid(SPEC, onnx.load(model_path(SPEC)))
    prepared = prepared_for_quantisation(float_network, SPEC.side, SPEC.output_name)
    return prepared, quantised(prepared, calibration_path(SPEC.int8_calibration))


@pytest.mark.native
def test_every_convolution_but_the_head_runs_on_integers(networks):
    prepared, int8 = networks
    producer = {out: node for node in int8.graph.node for out in node.output}
    convs = [node for node in int8.graph.node if node.op_type == "Conv"]
    head = set(kept_in_float(prepared))
    def dequantised(name: str) -> bool:
        return getattr(producer.get(name), "op_type", None) == "DequantizeLinear"

    quantised_convs = [c for c in convs if dequantised(c.input[0]) and dequantised(c.input[1])]
    assert len(convs) == len([n for n in prepared.graph.node if n.op_type == "Conv"])
    # A tensor the committed ranges do not name would silently stay in float.
    assert {c.name for c in convs} - {c.name for c in quantised_convs} == head & {c.name for c in convs}
    assert sum(n.op_type == "QuantizeLinear" for n in int8.graph.node) > 100


@pytest.mark.native
@pytest.mark.parametrize("photo", PHOTO_NAMES)
def test_the_int8_mask_agrees_with_the_float_one(networks, photo):
    prepared, int8 = networks
    rgba = np.asarray(Image.open(photo_path(photo)).convert("RGBA"))
    net_input = network_input(SPEC, rgba)
    masks = [ort.InferenceSession(n.SerializeToString(), providers=["CPUExecutionProvider"])
             .run([SPEC.output_name], {SPEC.input_name: net_input})[0][0, 0] for n in (prepared, int8)]
    difference = np.abs(masks[0] - masks[1])
    inside = [m >= 0.5 for m in masks]
    iou = (inside[0] & inside[1]).sum() / max((inside[0] | inside[1]).sum(), 1)
    assert difference.mean() < 0.025 and iou > 0.98, f"mean |Δ| {difference.mean():.4f}, IoU {iou:.4f}"
