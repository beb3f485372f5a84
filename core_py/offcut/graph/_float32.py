"""Run fp16-weighted networks in float32, keeping the weights stored as fp16.

The fp16 ISNet computes every layer in half precision. Hosts do that
differently (native onnxruntime widens each op to float32 and rounds back;
ORT-web WASM has its own kernels), and the rounding differences compound
through ~120 convolutions: on one photo the browser's alpha differed from the
native one by 2.2/255 on average. Widening the weights once, with a Cast that
ONNX Runtime folds into a float32 constant at session creation, makes every
host compute the same float32 maths (no `shader-f16` needed on WebGPU either)
while the file keeps its fp16 size.
"""

from __future__ import annotations

import onnx
from onnx import TensorProto, helper

__all__ = ["compute_in_float32"]

_FP16, _FP32 = TensorProto.FLOAT16, TensorProto.FLOAT


def compute_in_float32(network: onnx.ModelProto) -> onnx.ModelProto:
    """A copy of ``network`` whose every op runs in float32 (no-op for fp32 networks)."""
    graph = network.graph
    halves = {t.name for t in graph.initializer if t.data_type == _FP16}
    if not halves and not any(_casts_to_fp16(node) for node in graph.node):
        return network
    widened = onnx.ModelProto()
    widened.CopyFrom(network)
    graph = widened.graph
    widen_nodes = [helper.make_node("Cast", [name], [f"{name}/fp32"], to=_FP32) for name in sorted(halves)]
    for node in graph.node:
        for i, name in enumerate(node.input):
            if name in halves:
                node.input[i] = f"{name}/fp32"
        if _casts_to_fp16(node):  # the input/output casts become float32 no-ops
            next(a for a in node.attribute if a.name == "to").i = _FP32
    nodes = widen_nodes + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.value_info[:]  # fp16 annotations no longer hold; ONNX Runtime re-infers them
    return widened


def _casts_to_fp16(node: onnx.NodeProto) -> bool:
    return node.op_type == "Cast" and any(a.name == "to" and a.i == _FP16 for a in node.attribute)
