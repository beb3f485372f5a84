"""The fused pipeline graph: decoded RGBA pixels in, finished cutout out.

    image uint8 [H, W, 4]
      → RGB to float NCHW → antialiased resize to the network's square
      → the model's own normalisation → the network → mask scaling
      → bilinear upscale of the mask to H×W → × source alpha
      → round(alpha · 255) clamped → RGB copied untouched
    cutout uint8 [H, W, 4] (straight alpha)
    png_rows uint8 [H, 1 + 4W] (PNG scanlines, "Up"-filtered)

Every host (native onnxruntime, ORT-web WASM, ORT-web WebGPU) runs this one
graph, so they agree by construction and no per-pixel work is left to Python
or JavaScript. The PNG filter is in the graph because a per-pixel Python loop
is far too slow under Pyodide; the writer only adds zlib and chunk framing.
"""

from __future__ import annotations

import numpy as np
import onnx

from ..catalog import ModelSpec
from ._builder import FLOAT, INT16, UINT8, GraphBuilder
from ._network import embed_network

__all__ = ["build_pipeline_graph", "GRAPH_VERSION", "PNG_FILTER_UP"]

#: Bump when the graph's maths changes, so cached graphs are rebuilt.
GRAPH_VERSION = 1
PNG_FILTER_UP = 2


def build_pipeline_graph(spec: ModelSpec, network: onnx.ModelProto) -> onnx.ModelProto:
    g = GraphBuilder(f"offcut-{spec.id}")
    image = g.input("image", UINT8, ["height", "width", 4])
    hw = g.op("Slice", g.op("Shape", image), g.ints(0), g.ints(2), hint="hw")
    rgb = g.op("Slice", image, g.ints(0), g.ints(3), g.ints(2), hint="rgb")
    source_alpha = g.op("Slice", image, g.ints(3), g.ints(4), g.ints(2), hint="source_alpha")

    net_input = _network_input(g, spec, rgb)
    probability = embed_network(g, spec, network, net_input)
    mask = _mask_from_output(g, spec, probability)
    alpha = _full_resolution_alpha(g, mask, hw, source_alpha)

    cutout = g.rename(g.op("Concat", rgb, alpha, axis=2), "cutout")
    png_rows = g.rename(_png_up_filtered_rows(g, cutout, hw), "png_rows")
    return g.build(
        [
            (cutout, UINT8, ["height", "width", 4]),
            (png_rows, UINT8, ["height", "row_bytes"]),
        ],
        doc=f"offcut pipeline v{GRAPH_VERSION} for {spec.id} ({spec.display_name})",
    )


def _network_input(g: GraphBuilder, spec: ModelSpec, rgb: str) -> str:
    """RGB uint8 HWC → normalised float [1, 3, S, S] exactly as the model was trained."""
    nchw = g.op("Unsqueeze", g.op("Transpose", g.op("Cast", rgb, to=FLOAT), perm=[2, 0, 1]), g.ints(0))
    side = spec.input_size
    # Antialiased (triangle-filter) shrink: plain bilinear sampling of a 4000-px
    # photo down to 1024 skips most pixels and aliases fine detail such as hair.
    resized = g.op(
        "Resize", nchw, "", "", g.ints(1, 3, side, side),
        mode="linear", antialias=1, coordinate_transformation_mode="half_pixel",
    )
    norm = spec.normalisation
    if norm.scale_to_image_max:
        resized = g.op("Div", resized, g.op("Max", g.op("ReduceMax", resized, keepdims=0), g.const(1e-6)))
    mean = g.const(np.array(norm.mean).reshape(1, 3, 1, 1))
    std = g.const(np.array(norm.std).reshape(1, 3, 1, 1))
    return g.op("Div", g.op("Sub", resized, mean), std, hint="net_input")


def _mask_from_output(g: GraphBuilder, spec: ModelSpec, probability: str) -> str:
    """Network output [1, 1, S, S] → foreground probability in 0..1."""
    mask = probability
    if spec.output_is_minmax_scaled:
        low = g.op("ReduceMin", mask, keepdims=0)
        span = g.op("Max", g.op("Sub", g.op("ReduceMax", mask, keepdims=0), low), g.const(1e-6))
        mask = g.op("Div", g.op("Sub", mask, low), span)
    return g.op("Clip", mask, g.const(0.0), g.const(1.0), hint="mask")


def _full_resolution_alpha(g: GraphBuilder, mask: str, hw: str, source_alpha: str) -> str:
    """Mask [1, 1, S, S] → alpha uint8 [H, W, 1], multiplied by the source's own alpha."""
    target = g.op("Concat", g.ints(1, 1), hw, axis=0)
    full = g.op("Resize", mask, "", "", target, mode="linear", coordinate_transformation_mode="half_pixel")
    hw1 = g.op("Concat", hw, g.ints(1), axis=0)
    full_hwc = g.op("Reshape", full, hw1)
    # mask · source alpha (0..255): round(a · 255) for opaque sources, and a
    # transparent source pixel stays transparent.
    scaled = g.op("Mul", full_hwc, g.op("Cast", source_alpha, to=FLOAT))
    rounded = g.op("Round", g.op("Clip", scaled, g.const(0.0), g.const(255.0)))
    return g.op("Cast", rounded, to=UINT8, hint="alpha")


def _png_up_filtered_rows(g: GraphBuilder, cutout: str, hw: str) -> str:
    """PNG scanlines with filter type 2 ("Up"): byte − byte above, mod 256.

    One filter for every row keeps the encoder trivial and lets the checker
    rebuild any pixel from its column alone. int16 + BitwiseAnd makes the
    modulo explicit instead of relying on an implementation's uint8 wrap.
    """
    rows = g.op("Cast", g.op("Reshape", cutout, g.ints(0, -1)), to=INT16)
    row_length = g.op("Slice", g.op("Shape", rows), g.ints(1), g.ints(2))
    zero_row = g.op(
        "ConstantOfShape", g.op("Concat", g.ints(1), row_length, axis=0),
        value=onnx.helper.make_tensor("zero", INT16, [1], [0]),
    )
    # Row y's "above" is row y-1; the first row's is all zeros (PNG spec 9.2).
    # (Concat, not Pad: ONNX Runtime has no int16 Pad kernel.)
    above = g.op("Concat", zero_row, g.op("Slice", rows, g.ints(0), g.ints(-1), g.ints(0)), axis=0)
    filtered = g.op("Cast", g.op("BitwiseAnd", g.op("Sub", rows, above), g.const(255, np.int16)), to=UINT8)
    height = g.op("Slice", hw, g.ints(0), g.ints(1))
    filter_column = g.op(
        "ConstantOfShape", g.op("Concat", height, g.ints(1), axis=0),
        value=onnx.helper.make_tensor("filter", UINT8, [1], [PNG_FILTER_UP]),
    )
    return g.op("Concat", filter_column, filtered, axis=1)
