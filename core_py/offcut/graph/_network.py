"""Embedding a segmentation network inside the fused pipeline graph."""

from __future__ import annotations

import numpy as np
import onnx
from onnx import compose, numpy_helper, version_converter

from ..catalog import GRID_MULTIPLE, ModelSpec
from ._builder import OPSET, GraphBuilder
from ._float32 import compute_in_float32
from ._quantise import calibration_path, prepared_for_quantisation, quantised

_PREFIX = "net/"


def embed_network(g: GraphBuilder, spec: ModelSpec, network: onnx.ModelProto, net_input: str,
                  prefix: str = _PREFIX) -> str:
    """Splice ``network`` into ``g`` fed by ``net_input``; return its kept output.

    The network is upgraded to the pipeline's opset (the converter keeps the
    maths: outputs agree to 3e-5 on ISNet fp16, exactly on the others), only
    the nodes that feed ``spec.output_name`` are kept (the auxiliary side
    outputs would cost time and memory), and every name is prefixed so it
    cannot clash with the pipeline's own (nor, with distinct ``prefix``es,
    with another embedded network's).
    """
    network = embedded_network(spec, network)
    # Shapes annotated for the file's declared input size (the converter infers
    # them) would contradict a pipeline that feeds another grid side.
    del network.graph.value_info[:]
    network = compose.add_prefix(network, prefix)
    graph = network.graph
    wanted_output = prefix + spec.output_name
    net_input_name = prefix + spec.input_name
    nodes = _nodes_feeding(list(graph.node), wanted_output)
    for node in nodes:
        for i, name in enumerate(node.input):
            if name == net_input_name:
                node.input[i] = net_input
    used = {name for node in nodes for name in node.input}
    g.add_subgraph(nodes, [t for t in graph.initializer if t.name in used])
    return wanted_output


def network_for_grid(spec: ModelSpec, network: onnx.ModelProto) -> onnx.ModelProto:
    """``network`` as the pipeline runs it: float32 maths, on ``spec.side``², at the pipeline's opset."""
    network = compute_in_float32(network)  # same maths on every host, see _float32.py
    if spec.side != spec.input_size:
        network = resized_for_grid(network, spec.side, spec.input_size)
    if network.opset_import and _default_opset(network) != OPSET:
        network = version_converter.convert_version(network, OPSET)
    return network


def embedded_network(spec: ModelSpec, network: onnx.ModelProto) -> onnx.ModelProto:
    """The network exactly as the pipeline embeds it: on its grid and, for an int8 row, quantised."""
    network = network_for_grid(spec, network)
    if spec.int8_calibration:
        prepared = prepared_for_quantisation(network, spec.side, spec.output_name)
        network = quantised(prepared, calibration_path(spec.int8_calibration))
    return network


def resized_for_grid(network: onnx.ModelProto, side: int, trained: int) -> onnx.ModelProto:
    """A copy of ``network`` whose internal upsampling targets follow a ``side``² input.

    Exported U-Nets (ISNet) resize each decoder level to the size of the
    matching encoder level, and the export froze those sizes as constants
    for the trained input (``Concat(Shape(x)[:2], [32, 32])``). Scaled by
    side / trained they are again the encoder's sizes at the new side.
    """
    if side % GRID_MULTIPLE or side <= 0:
        raise ValueError(f"grid side {side} is not a positive multiple of {GRID_MULTIPLE}")
    resized = onnx.ModelProto()
    resized.CopyFrom(network)
    graph = resized.graph
    producer = {out: node for node in graph.node for out in node.output}
    patched = set()
    for node in graph.node:
        if node.op_type != "Resize" or len(node.input) < 4 or not node.input[3]:
            continue
        sizes = producer.get(node.input[3])
        parts = [producer.get(name) for name in sizes.input] if sizes is not None and sizes.op_type == "Concat" else []
        constants = [p for p in parts if p is not None and p.op_type == "Constant"]
        if len(constants) != 1:
            raise ValueError(f"{node.name}: upsampling sizes are not Concat(shape, constant); "
                             "cannot resize the network")
        constant = constants[0]
        if constant.output[0] in patched:
            continue
        values = numpy_helper.to_array(constant.attribute[0].t)
        if np.any(values * side % trained):
            raise ValueError(f"{node.name}: size {values.tolist()} does not scale exactly to a {side}² grid")
        constant.attribute[0].t.CopyFrom(numpy_helper.from_array(values * side // trained))
        patched.add(constant.output[0])
    return resized


def _default_opset(model: onnx.ModelProto) -> int:
    return next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), OPSET)


def _nodes_feeding(nodes: list[onnx.NodeProto], output: str) -> list[onnx.NodeProto]:
    """The nodes ``output`` depends on, topologically sorted.

    The fp16 ISNet file lists its input Cast after the nodes that use it,
    which ONNX Runtime tolerates but the ONNX checker does not.
    """
    producer = {out: i for i, node in enumerate(nodes) for out in node.output}
    needed: set[int] = set()
    stack = [output]
    while stack:
        index = producer.get(stack.pop())
        if index is None or index in needed:
            continue
        needed.add(index)
        stack.extend(nodes[index].input)
    return _topological(nodes[i] for i in sorted(needed))


def _topological(nodes) -> list[onnx.NodeProto]:
    pending = list(nodes)
    made = {out for node in pending for out in node.output}
    ready: set[str] = set()
    ordered: list[onnx.NodeProto] = []
    while pending:
        waiting = []
        for node in pending:
            if all(name in ready or name not in made for name in node.input):
                ordered.append(node)
                ready.update(node.output)
            else:
                waiting.append(node)
        if len(waiting) == len(pending):
            raise ValueError("network graph has a cycle")
        pending = waiting
    return ordered
