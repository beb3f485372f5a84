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


#: shrink_linear samples bilinearly at up to this many times the target side
#: per axis, then averages each block.
SHRINK_OVERSAMPLE = 4


def shrink_linear(g: GraphBuilder, x: str, channels: int, height: int, width: int) -> str:
    """``x`` [1, C, h, w] (any h, w) → [1, C, height, width], filtered so detail does not alias.

    Plain bilinear sampling of a 4000-px photo down to 1024 skips most pixels
    and aliases fine detail such as hair. An antialiased Resize would avoid
    that, but ONNX Runtime's WebGPU kernel does not implement it, so the
    filter is built from ops every host runs: bilinear samples on a grid k
    times finer, then a box mean over each k-block (a mip-map step). A 12 MP
    photo reaches a 768² grid as 16 × 4 samples per cell instead of ~3 × 4.

    k is chosen per axis, in the graph, from the source's size: the source's
    pixels per target cell, rounded up, at most ``SHRINK_OVERSAMPLE``. A
    1224-px side on 768 needs 2 samples per cell, not 4; a photo smaller
    than the grid needs one (plain bilinear). More samples than source
    pixels add nothing but time: a fixed 4 resized every photo, the smallest
    too, to 3072² floats per channel (~9 % of the graph's time at 1 MP).
    """
    target = g.ints(height, width)
    source = g.op("Slice", g.op("Shape", x), g.ints(2), g.ints(4), hint="source_hw")
    per_cell = g.op("Ceil", g.op("Div", g.op("Cast", source, to=FLOAT), g.const([float(height), float(width)])))
    k = g.op("Cast", g.op("Clip", per_cell, g.const(1.0), g.const(float(SHRINK_OVERSAMPLE))), to=INT64, hint="k")
    fine = resize_linear(g, x, g.op("Concat", g.ints(1, channels), g.op("Mul", target, k), axis=0))
    ky = g.op("Slice", k, g.ints(0), g.ints(1))
    kx = g.op("Slice", k, g.ints(1), g.ints(2))
    # [1, C, H·ky, W·kx] as [C·H·ky·W, kx]: the mean of each row of kx samples (the innermost, contiguous axis) ...
    blocks = g.op("Reshape", fine, g.op("Concat", g.ints(channels * height), ky, g.ints(width), kx, axis=0))
    columns = g.op("ReduceMean", blocks, g.ints(3), keepdims=0)
    # ... then of each ky rows: [C·H, ky, W] → [C·H, W].
    means = g.op("ReduceMean", columns, g.ints(1), keepdims=0)
    return g.op("Reshape", means, g.ints(1, channels, height, width), hint="shrunk")


UINT8 = TensorProto.UINT8
FLOAT = TensorProto.FLOAT
INT64 = TensorProto.INT64
BOOL = TensorProto.BOOL
