"""The export graph: a finished cutout → the picture the user asked for.

Inputs:
    png_rows uint8 [H, 1 + 4W]  the cutout's "Up"-filtered PNG scanlines (what the pipeline graph emits,
                                or what a cutout PNG inflates to)
    photo    uint8 [h, w, 4]    the original photo, any size (its crop is mapped by proportion); only the
                                blurred background reads it, so other exports may pass one pixel
    settings float [SETTINGS]   see ``offcut._export.Setting``: crop and margin, longest side, background
    channels int64 [1]          channels of ``png_rows_out``: 4 RGBA, 3 RGB (opaque), 1 grey (mask)
Outputs:
    pixels       uint8 [h', w', 4]           the picture, straight alpha (255 where opaque)
    png_rows_out uint8 [h', 1 + channels·w'] its PNG scanlines, "Up"-filtered
    box          int64 [4]                   top, left, bottom, right (exclusive) of the cutout kept

Every step is per-pixel work, so it is a graph (Pyodide has no numpy), and
the same graph runs on every host: the CLI's export and the extension's
agree by construction. Resampling is straight-alpha: the cutout's RGB under
soft and transparent pixels is the estimated foreground colour, so no dark
fringe comes in from the background.
"""

from __future__ import annotations

import numpy as np
import onnx

from .._export import SETTINGS, Setting
from .._png_write import PNG_FILTER_UP
from ._builder import FLOAT, INT64, UINT8, GraphBuilder

__all__ = ["build_export_graph", "BLUR_GRID_SIDE", "BLUR_SIGMA"]

#: The blurred background is made on a grid whose longest side is this many
#: pixels, blurred there with a Gaussian of BLUR_SIGMA grid pixels, then
#: upsampled (bicubic): a blur of ~3 % of the picture's longest side at any
#: size, for the cost of a thumbnail. A "portrait mode" look, not a haze.
BLUR_GRID_SIDE = 96
BLUR_SIGMA = 3.0


def build_export_graph() -> onnx.ModelProto:
    g = GraphBuilder("offcut-export")
    rows = g.input("png_rows", UINT8, ["H", "S"])
    photo = g.input("photo", UINT8, ["h", "w", 4])
    settings = g.input("settings", FLOAT, [SETTINGS])
    channels = g.input("channels", INT64, [1])

    def setting(which: Setting) -> str:
        return g.op("Slice", settings, g.ints(which), g.ints(which + 1), g.ints(0))  # [1]

    rgba = _unfiltered(g, rows)  # [H, W, 4]
    shape = g.op("Shape", rgba)
    height, width = (g.op("Slice", shape, g.ints(i), g.ints(i + 1), g.ints(0)) for i in (0, 1))
    box = _crop_box(g, rgba, height, width, setting(Setting.CROP), setting(Setting.MARGIN_PX),
                    setting(Setting.MARGIN_FRACTION))
    top_left = g.op("Slice", box, g.ints(0), g.ints(2), g.ints(0))
    bottom_right = g.op("Slice", box, g.ints(2), g.ints(4), g.ints(0))
    kept = g.op("Slice", rgba, top_left, bottom_right, g.ints(0, 1), hint="kept")  # [ch, cw, 4]
    out_hw = _output_size(g, g.op("Sub", bottom_right, top_left), setting(Setting.MAX_SIDE))

    picture = g.op("Unsqueeze", g.op("Transpose", g.op("Cast", kept, to=FLOAT), perm=[2, 0, 1]), g.ints(0))
    # Antialiased (a shrink averages what it drops), half-pixel: at the same size it returns its input exactly.
    picture = g.op("Resize", picture, "", "", g.op("Concat", g.ints(1, 4), out_hw, axis=0), mode="linear",
                   antialias=1, coordinate_transformation_mode="half_pixel", hint="sized")
    colour = g.op("Slice", picture, g.ints(0), g.ints(3), g.ints(1))  # [1, 3, h', w'], 0..255
    alpha = g.op("Div", g.op("Slice", picture, g.ints(3), g.ints(4), g.ints(1)), g.const(255.0))  # 0..1

    backdrop = _backdrop(g, photo, box, height, width, out_hw, setting)
    opaque, mask = setting(Setting.OPAQUE), setting(Setting.MASK)
    # Over a backdrop: C = αF + (1 − α)B = F + (1 − α)(B − F); A = 1. Transparent keeps F and α as they are.
    uncovered = g.op("Mul", opaque, g.op("Sub", g.const(1.0), alpha))
    colour = g.op("Add", colour, g.op("Mul", uncovered, g.op("Sub", backdrop, colour)))
    alpha = g.op("Add", alpha, uncovered)
    # Mask only: the alpha as grey on every colour channel, opaque.
    grey = g.op("Slice", picture, g.ints(3), g.ints(4), g.ints(1))  # the cutout's alpha, 0..255
    colour = g.op("Add", colour, g.op("Mul", mask, g.op("Sub", grey, colour)))
    alpha = g.op("Add", alpha, g.op("Mul", mask, g.op("Sub", g.const(1.0), alpha)))

    planes = g.op("Concat", colour, g.op("Mul", alpha, g.const(255.0)), axis=1)
    as_bytes = g.op("Cast", g.op("Clip", g.op("Round", planes), g.const(0.0), g.const(255.0)), to=UINT8)
    pixels = g.op("Transpose", g.op("Squeeze", as_bytes, g.ints(0)), perm=[1, 2, 0], hint="pixels")  # [h', w', 4]
    g.rename(pixels, "pixels")
    g.rename(_scanlines(g, pixels, channels), "png_rows_out")
    g.rename(box, "box")
    return g.build([("pixels", UINT8, ["h_out", "w_out", 4]), ("png_rows_out", UINT8, ["h_out", "stride_out"]),
                    ("box", INT64, [4])], doc=__doc__)


def _unfiltered(g: GraphBuilder, rows: str) -> str:
    """"Up"-filtered scanlines → RGBA [H, W, 4]: each column's running sum, mod 256."""
    data = g.op("Slice", rows, g.ints(1), g.ints(np.iinfo(np.int64).max), g.ints(1))
    sums = g.op("CumSum", g.op("Cast", data, to=onnx.TensorProto.INT32), g.ints(0))
    wrapped = g.op("BitwiseAnd", sums, g.const(255, np.int32))
    return g.op("Reshape", g.op("Cast", wrapped, to=UINT8), g.ints(0, -1, 4), hint="rgba")


def _crop_box(g: GraphBuilder, rgba: str, height: str, width: str, crop: str, margin_px: str,
              margin_fraction: str) -> str:
    """[top, left, bottom, right]: the alpha's bounding box grown by the margin and clamped to the
    picture when cropping (and when anything is visible at all), else the whole picture."""
    alpha = g.op("Squeeze", g.op("Slice", rgba, g.ints(3), g.ints(4), g.ints(2)), g.ints(2))  # [H, W]
    visible = g.op("Cast", g.op("Greater", alpha, g.const(0, np.uint8)), to=onnx.TensorProto.INT32)
    rows_seen = g.op("ReduceMax", visible, g.ints(1), keepdims=0)  # [H]
    cols_seen = g.op("ReduceMax", visible, g.ints(0), keepdims=0)  # [W]

    def first_last(seen: str) -> tuple[str, str]:
        first = g.op("ArgMax", seen, axis=0, keepdims=1)
        last = g.op("Add", g.op("ArgMax", seen, axis=0, keepdims=1, select_last_index=1), g.ints(1))
        return first, last

    (top, bottom), (left, right) = first_last(rows_seen), first_last(cols_seen)
    longer = g.op("Cast", g.op("Max", g.op("Sub", bottom, top), g.op("Sub", right, left)), to=FLOAT)
    margin = g.op("Cast", g.op("Round", g.op("Add", margin_px, g.op("Mul", margin_fraction, longer))), to=INT64)
    zero = g.ints(0)
    grown = g.op("Concat", g.op("Max", g.op("Sub", top, margin), zero), g.op("Max", g.op("Sub", left, margin), zero),
                 g.op("Min", g.op("Add", bottom, margin), height), g.op("Min", g.op("Add", right, margin), width),
                 axis=0)
    whole = g.op("Concat", zero, zero, height, width, axis=0)
    anything = g.op("Greater", g.op("ReduceMax", rows_seen, keepdims=1), g.const([0], np.int32))
    cropping = g.op("And", g.op("Greater", crop, g.const(0.5)), anything)
    return g.op("Where", cropping, grown, whole, hint="box")


def _output_size(g: GraphBuilder, kept_hw: str, max_side: str) -> str:
    """[h', w']: the kept size shrunk (never enlarged) so its longer side is at most max_side (0: no limit)."""
    sides = g.op("Cast", kept_hw, to=FLOAT)
    longer = g.op("ReduceMax", sides, keepdims=1)
    limited = g.op("Min", g.const([1.0]), g.op("Div", max_side, longer))
    scale = g.op("Where", g.op("Greater", max_side, g.const(0.0)), limited, g.const([1.0]))
    scaled = g.op("Max", g.op("Round", g.op("Mul", sides, scale)), g.const(1.0))
    return g.op("Cast", scaled, to=INT64, hint="out_hw")


def _backdrop(g: GraphBuilder, photo: str, box: str, height: str, width: str, out_hw: str, setting) -> str:
    """What shows through: the colour, or the photo's matching crop blurred; [1, 3, h', w'] (or broadcastable).

    The blurred photo is made only when asked for (an ``If``): its bicubic
    upsampling to the picture's size cost 3.4 s of a 12 MP export natively,
    and every export paid it, a colour background too, to multiply it by 0.
    """
    colour = g.op("Reshape", g.op("Concat", setting(Setting.RED), setting(Setting.GREEN), setting(Setting.BLUE),
                                  axis=0), g.ints(1, 3, 1, 1))
    blurred, plain = g.body("blurred"), g.body("plain")
    return g.op("If", g.op("Greater", setting(Setting.BLUR), g.const([0.5])), hint="backdrop",
                then_branch=blurred.build_body([(_blurred_photo(blurred, photo, box, height, width, out_hw), FLOAT)]),
                else_branch=plain.build_body([(plain.op("Identity", colour), FLOAT)]))


def _blurred_photo(g: GraphBuilder, photo: str, box: str, height: str, width: str, out_hw: str) -> str:
    """The photo's part under the kept box, blurred on a small grid and brought to [1, 3, h', w']."""
    photo_hw = g.op("Slice", g.op("Shape", photo), g.ints(0), g.ints(2), g.ints(0))
    # The box in the photo's pixels (the photo may be smaller, or one pixel when unused), never empty.
    ratio = g.op("Div", g.op("Cast", photo_hw, to=FLOAT), g.op("Cast", g.op("Concat", height, width, axis=0), to=FLOAT))
    start = g.op("Cast", g.op("Floor", g.op("Mul", g.op("Cast", g.op("Slice", box, g.ints(0), g.ints(2), g.ints(0)),
                                                        to=FLOAT), ratio)), to=INT64)
    end = g.op("Cast", g.op("Ceil", g.op("Mul", g.op("Cast", g.op("Slice", box, g.ints(2), g.ints(4), g.ints(0)),
                                                     to=FLOAT), ratio)), to=INT64)
    end = g.op("Min", g.op("Max", end, g.op("Add", start, g.ints(1))), photo_hw)
    part = g.op("Slice", photo, start, end, g.ints(0, 1))
    rgb = g.op("Unsqueeze", g.op("Transpose", g.op("Cast", g.op("Slice", part, g.ints(0), g.ints(3), g.ints(2)),
                                                   to=FLOAT), perm=[2, 0, 1]), g.ints(0))  # [1, 3, ph, pw]
    part_hw = g.op("Cast", g.op("Sub", end, start), to=FLOAT)
    grid_scale = g.op("Min", g.const([1.0]), g.op("Div", g.const([float(BLUR_GRID_SIDE)]),
                                                  g.op("ReduceMax", part_hw, keepdims=1)))
    grid_hw = g.op("Cast", g.op("Max", g.op("Round", g.op("Mul", part_hw, grid_scale)), g.const(1.0)), to=INT64)
    small = g.op("Resize", rgb, "", "", g.op("Concat", g.ints(1, 3), grid_hw, axis=0), mode="linear", antialias=1,
                 coordinate_transformation_mode="half_pixel")
    blurred = _gaussian(g, small, BLUR_SIGMA)
    return g.op("Resize", blurred, "", "", g.op("Concat", g.ints(1, 3), out_hw, axis=0), mode="cubic",
                coordinate_transformation_mode="half_pixel", hint="blurred")


def _gaussian(g: GraphBuilder, x: str, sigma: float) -> str:
    """A separable Gaussian on [1, 3, h, w], edges extended (no dark border from zero padding)."""
    radius = int(np.ceil(3 * sigma))
    taps = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    taps = (taps / taps.sum()).astype(np.float32)
    padded = g.op("Pad", x, g.ints(0, 0, radius, radius, 0, 0, radius, radius), mode="edge")
    down = g.op("Conv", padded, g.const(np.tile(taps.reshape(1, 1, -1, 1), (3, 1, 1, 1))), group=3)
    return g.op("Conv", down, g.const(np.tile(taps.reshape(1, 1, 1, -1), (3, 1, 1, 1))), group=3)


def _scanlines(g: GraphBuilder, pixels: str, channels: str) -> str:
    """The first ``channels`` channels of ``pixels`` as "Up"-filtered PNG rows."""
    kept = g.op("Slice", pixels, g.ints(0), channels, g.ints(2))
    rows = g.op("Reshape", kept, g.ints(0, -1))
    height = g.op("Slice", g.op("Shape", rows), g.ints(0), g.ints(1), g.ints(0))
    row_bytes = g.op("Slice", g.op("Shape", rows), g.ints(1), g.ints(2), g.ints(0))
    zeros = g.op("ConstantOfShape", g.op("Concat", g.ints(1), row_bytes, axis=0),
                 value=onnx.helper.make_tensor("zero", UINT8, [1], [0]))  # the first row's "above" (PNG 9.2)
    above = g.op("Concat", zeros, g.op("Slice", rows, g.ints(0), g.ints(-1), g.ints(0)), axis=0)
    filter_column = g.op("ConstantOfShape", g.op("Concat", height, g.ints(1), axis=0),
                         value=onnx.helper.make_tensor("filter", UINT8, [1], [PNG_FILTER_UP]))
    return g.op("Concat", filter_column, g.op("Sub", rows, above), axis=1)
