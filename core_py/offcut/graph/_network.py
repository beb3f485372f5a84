"""Embedding a segmentation network inside the fused pipeline graph."""

from __future__ import annotations

import onnx
from onnx import compose, version_converter

from ..catalog import ModelSpec
from ._builder import OPSET, GraphBuilder
from ._float32 import compute_in_float32

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
    network = compute_in_float32(network)  # same maths on every host, see _float32.py
    if network.opset_import and _default_opset(network) != OPSET:
        network = version_converter.convert_version(network, OPSET)
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
