"""A small helper for writing ONNX graphs as straight-line code.

``g.op("Mul", x, g.const(255.0))`` reads like the maths it builds; names are
generated, constants become initializers. Build-time only (needs ``onnx`` and
``numpy``), never imported by the hosts.
"""

from __future__ import annotations

import itertools

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 18  # every network is converted to it (one opset per graph)
IR_VERSION = 9  # the newest IR every ONNX Runtime we ship (1.30 web, 1.31 native) accepts


class GraphBuilder:
    def __init__(self, name: str) -> None:
        self.name = name
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.inputs: list[onnx.ValueInfoProto] = []
        self._ids = itertools.count()

    def fresh(self, hint: str) -> str:
        return f"{hint}_{next(self._ids)}"

    def input(self, name: str, elem_type: int, shape: list) -> str:
        self.inputs.append(helper.make_tensor_value_info(name, elem_type, shape))
        return name

    def const(self, value, dtype=np.float32, hint: str = "c") -> str:
        name = self.fresh(hint)
        self.initializers.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def ints(self, *values: int) -> str:
        """An int64 1-D constant, the type ONNX wants for shapes, axes and pads."""
        return self.const(list(values), np.int64, "ints")

    def op(self, op_type: str, *inputs: str, n_out: int = 1, hint: str | None = None, **attrs):
        outputs = [self.fresh(hint or op_type.lower()) for _ in range(n_out)]
        self.nodes.append(helper.make_node(op_type, list(inputs), outputs, **attrs))
        return outputs[0] if n_out == 1 else outputs

    def rename(self, tensor: str, new_name: str) -> str:
        """Give a computed tensor a public name (graph outputs)."""
        self.nodes.append(helper.make_node("Identity", [tensor], [new_name]))
        return new_name

    def add_subgraph(self, nodes, initializers) -> None:
        self.nodes.extend(nodes)
        self.initializers.extend(initializers)

    def body(self, name: str) -> GraphBuilder:
        """A builder for a control-flow body (Loop): it shares this builder's
        names, so the body can read any tensor of the outer graph by name."""
        inner = GraphBuilder(name)
        inner._ids = self._ids
        return inner

    def build_body(self, outputs: list[tuple[str, int]]) -> onnx.GraphProto:
        """The body graph: this builder's inputs, nodes and constants; outputs typed, shapes left free."""
        return helper.make_graph(
            self.nodes,
            self.name,
            self.inputs,
            [helper.make_tensor_value_info(name, t, None) for name, t in outputs],
            initializer=self.initializers,
        )

    def build(self, outputs: list[tuple[str, int, list]], doc: str = "") -> onnx.ModelProto:
        graph = helper.make_graph(
            self.nodes,
            self.name,
            self.inputs,
            [helper.make_tensor_value_info(name, t, shape) for name, t, shape in outputs],
            initializer=self.initializers,
            doc_string=doc,
        )
        model = helper.make_model(
            graph,
            opset_imports=[helper.make_opsetid("", OPSET)],
            ir_version=IR_VERSION,
            producer_name="offcut",
        )
        onnx.checker.check_model(model, full_check=False)
        return model


def resize_linear(g: GraphBuilder, x: str, size: str) -> str:
    """Half-pixel bilinear resize of ``x`` to ``size``: for enlarging (and the
    mild shrink inside :func:`shrink_linear`). Never ``antialias``: ONNX
    Runtime's WebGPU kernel does not implement that attribute at all."""
    return g.op("Resize", x, "", "", size, mode="linear", coordinate_transformation_mode="half_pixel")


#: shrink_linear samples bilinearly at this many times the target side, then
#: averages each SHRINK_OVERSAMPLE² block.
SHRINK_OVERSAMPLE = 4


def shrink_linear(g: GraphBuilder, x: str, channels: int, height: int, width: int) -> str:
    """``x`` [1, C, h, w] (any h, w) → [1, C, height, width], filtered so detail does not alias.

    Plain bilinear sampling of a 4000-px photo down to 1024 skips most pixels
    and aliases fine detail such as hair. An antialiased Resize would avoid
    that, but ONNX Runtime's WebGPU kernel does not implement it, so the
    filter is built from ops every host runs: bilinear samples on a grid
    ``SHRINK_OVERSAMPLE`` times finer, then a box mean over each block (a
    mip-map step). A 12 MP photo reaches a 640² grid as 16 × 4 samples per
    cell instead of ~3 × 4.
    """
    k = SHRINK_OVERSAMPLE
    fine = resize_linear(g, x, g.ints(1, channels, height * k, width * k))
    return g.op("AveragePool", fine, kernel_shape=[k, k], strides=[k, k], hint="shrunk")


UINT8 = TensorProto.UINT8
FLOAT = TensorProto.FLOAT
INT64 = TensorProto.INT64
BOOL = TensorProto.BOOL
