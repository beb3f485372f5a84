"""The fused pipeline graph: decoded RGBA pixels in, finished cutout out.

    image uint8 [H, W, 4]
      → RGB to float NCHW → filtered shrink to the network's S×S grid (_builder.shrink_linear)
      → the model's own normalisation → the network → mask scaling
      [→ each fused companion network, fed from the grid, fused in  (_fusion)]
      [→ guided-filter coefficients on the grid, upsampled, applied  (_refine)]
      or bilinear upscale of the mask to H×W
      ── from here on one band of rows at a time (_bands: an ONNX Loop) ──
      → × source alpha → round(alpha · 255) clamped
      [→ foreground colour written where 0 < alpha < 255  (_decontaminate)]
      → RGB otherwise copied untouched
      → PNG "Up" filter
    png_rows uint8 [H, 1 + 4W] (the cutout's PNG scanlines, straight alpha, "Up"-filtered)
    alpha uint8 [H, W] (the cutout's alpha channel: the checker's reference and the UI's counts)

The bracketed steps run for catalog rows that ask for them (``fused_with``,
``refines_edges``, ``decontaminates``); plain rows are one network and a
resize. Every host (native onnxruntime, ORT-web WASM, ORT-web WebGPU) runs
this one graph, so they agree by construction and no per-pixel work is left
to Python or JavaScript. The PNG filter is in the graph because a per-pixel
Python loop is far too slow under Pyodide; the writer only adds zlib and
chunk framing. The unfiltered RGBA cutout is not an output: held to the end
of the run and copied out beside the rows it doubled the largest buffers
(800 MB at 100 MP); native callers that want pixels un-filter the rows
(``offcut._native.rgba_array``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import onnx

from ..catalog import ModelSpec
from ._bands import BAND_PIXELS, Band, in_bands, row_upsampler
from ._builder import FLOAT, UINT8, GraphBuilder, resize_linear, shrink_linear
from ._decontaminate import foreground_offset
from ._fusion import COMPANION_SIDE, fuse_masks
from ._network import embed_network
from ._refine import apply_coefficients, guided_coefficients, split_coefficients

__all__ = ["build_network_input_graph", "build_pipeline_graph", "GRAPH_VERSION"]

#: Bump when the graph's maths changes, so cached graphs are rebuilt.
GRAPH_VERSION = 8


def build_pipeline_graph(spec: ModelSpec, network: onnx.ModelProto,
                         companions: Sequence[tuple[ModelSpec, onnx.ModelProto]] = (), *,
                         band_pixels: int = BAND_PIXELS) -> onnx.ModelProto:
    """The graph for ``spec``; ``companions`` are the networks its ``fused_with`` names, in order.

    ``band_pixels``: the size of the bands the full-resolution half runs in
    (``_bands``); any size gives the same pixels (the tests hold it to that).
    """
    if [c.id for c, _ in companions] != list(spec.fused_with):
        raise ValueError(f"{spec.id} fuses {spec.fused_with}, got networks for {[c.id for c, _ in companions]}")
    if spec.decontaminates and not spec.refines_edges:
        raise ValueError(f"{spec.id}: decontamination uses the guided filter's alpha; set refines_edges too")
    g = GraphBuilder(f"offcut-{spec.id}")
    image, hw, rgb = _photo_input(g)
    side = spec.side
    grid = _photo_on_grid(g, rgb, hw, side)  # [1, 3, S, S], 0..255
    mask = _network_mask(g, spec, network, grid, "net/")
    for index, (companion, companion_network) in enumerate(companions, 1):
        small = shrink_linear(g, grid, 3, COMPANION_SIDE, COMPANION_SIDE)
        companion_mask = _network_mask(g, companion, companion_network, small, f"net{index}/")
        mask = fuse_masks(g, mask, resize_linear(g, companion_mask, g.ints(1, 1, side, side)))

    guide = coefficients = None
    if spec.refines_edges:
        guide = g.op("Div", grid, g.const(255.0))
        coefficients = guided_coefficients(g, guide, mask, side)
        # The guide's 1/255 folded into A on the grid rather than into the photo.
        planes = g.op("Mul", coefficients, g.const(np.array([1 / 255] * 3 + [1.0]).reshape(1, 4, 1, 1)))
        alpha_planes = [g.op("Slice", planes, g.ints(c), g.ints(c + 1), g.ints(1)) for c in range(4)]
    else:
        alpha_planes = [mask]
    offset_255 = _foreground_offset_255(g, guide, coefficients, side) if spec.decontaminates else None

    def band_cutout(b: GraphBuilder, band: Band) -> tuple[str, str]:
        *rgb, source_alpha = _planes(b, band.image)
        full = _band_alpha(b, band, rgb, alpha_planes, side)
        alpha_255 = _alpha_times_source(b, full, band.hw, source_alpha)
        alpha = b.op("Cast", alpha_255, to=UINT8, hint="alpha")
        cutout = b.op("Concat", *rgb, alpha, axis=2, hint="cutout")
        if offset_255 is not None:
            cutout = _decontaminated(b, band, cutout, offset_255, alpha_255)
        return cutout, alpha

    png_rows, alpha_plane = in_bands(g, image, hw, band_cutout, band_pixels)
    return g.build(
        [
            (g.rename(png_rows, "png_rows"), UINT8, ["height", "row_bytes"]),
            (g.rename(alpha_plane, "alpha"), UINT8, ["height", "width"]),
        ],
        doc=f"offcut pipeline v{GRAPH_VERSION} for {spec.id} ({spec.display_name})",
    )


def _photo_input(g: GraphBuilder) -> tuple[str, str, list[str]]:
    """The graph's input, image uint8 [H, W, 4], with its [H, W] and its R, G, B planes [H, W, 1]."""
    image = g.input("image", UINT8, ["height", "width", 4])
    hw = g.op("Slice", g.op("Shape", image), g.ints(0), g.ints(2), hint="hw")
    return image, hw, _planes(g, image)[:3]


def _planes(g: GraphBuilder, image: str) -> list[str]:
    """uint8 [h, W, 4] → its four channels [h, W, 1]. One Split: a Slice per
    channel of the innermost axis costs ONNX Runtime a strided copy each, 5×
    the time of the one Split (~0.05 s per channel at 12 MP)."""
    return g.op("Split", image, axis=2, num_outputs=4, n_out=4)


def _photo_on_grid(g: GraphBuilder, rgb: list[str], hw: str, side: int) -> str:
    """R, G, B uint8 [H, W, 1] → float [1, 3, S, S], filtered (``shrink_linear``).

    One channel at a time: a float copy of the whole photo would be the
    graph's largest tensor (1.2 GB at 100 MP). A [H, W, 1] plane has the
    memory layout of [1, 1, H, W], so each plane is resized in NCHW directly
    and no full-size transpose is needed.
    """
    plane_shape = g.op("Concat", g.ints(1, 1), hw, axis=0)
    planes = []
    for plane in rgb:
        plane = g.op("Cast", g.op("Reshape", plane, plane_shape), to=FLOAT)
        planes.append(shrink_linear(g, plane, 1, side, side))
    return g.op("Concat", *planes, axis=1, hint="grid")


def _to_nchw(g: GraphBuilder, x: str) -> str:
    return g.op("Transpose", x, perm=[0, 3, 1, 2])


def _to_nhwc(g: GraphBuilder, x: str) -> str:
    return g.op("Transpose", x, perm=[0, 2, 3, 1])


def _network_mask(g: GraphBuilder, spec: ModelSpec, network: onnx.ModelProto, resized: str, prefix: str) -> str:
    """RGB 0..255 [1, 3, S, S] → the network's foreground probability [1, 1, S, S] in 0..1."""
    mask = embed_network(g, spec, network, network_input(g, spec, resized), prefix)
    if spec.output_is_minmax_scaled:
        low = g.op("ReduceMin", mask, keepdims=0)
        span = g.op("Max", g.op("Sub", g.op("ReduceMax", mask, keepdims=0), low), g.const(1e-6))
        mask = g.op("Div", g.op("Sub", mask, low), span)
    return g.op("Clip", mask, g.const(0.0), g.const(1.0), hint="mask")


def network_input(g: GraphBuilder, spec: ModelSpec, resized: str) -> str:
    """RGB 0..255 [1, 3, S, S] → the network's normalised input."""
    norm = spec.normalisation
    if norm.scale_to_image_max:
        resized = g.op("Div", resized, g.op("Max", g.op("ReduceMax", resized, keepdims=0), g.const(1e-6)))
    mean = g.const(np.array(norm.mean).reshape(1, 3, 1, 1))
    std = g.const(np.array(norm.std).reshape(1, 3, 1, 1))
    return g.op("Div", g.op("Sub", resized, mean), std, hint="net_input")


def build_network_input_graph(spec: ModelSpec) -> onnx.ModelProto:
    """Photo RGBA [H, W, 4] → exactly the tensor the pipeline feeds ``spec``'s network (calibration reads it)."""
    g = GraphBuilder(f"offcut-{spec.id}-network-input")
    _, hw, rgb = _photo_input(g)
    grid = _photo_on_grid(g, rgb, hw, spec.side)
    return g.build([(network_input(g, spec, grid), FLOAT, [1, 3, spec.side, spec.side])])


def _band_alpha(b: GraphBuilder, band: Band, rgb: list[str], planes: list[str], side: int) -> str:
    """The band's alpha, [1, 1, h, W], not clipped: the mask upsampled, or A·photo + B from the guided filter's planes.

    One colour channel at a time: A_c is upsampled, multiplied by that channel
    of the photo (cast from its own bytes) and added up, so the band's
    largest tensors are single float planes.
    """
    upsample = row_upsampler(b, band, side)
    if len(planes) == 1:
        return upsample(planes[0])
    plane_shape = b.op("Concat", b.ints(1, 1), band.hw, axis=0)
    alpha = upsample(planes[3])
    for channel, photo in enumerate(rgb):
        photo = b.op("Cast", b.op("Reshape", photo, plane_shape), to=FLOAT)  # [h, W, 1] is laid out as [1, 1, h, W]
        alpha = b.op("Add", alpha, b.op("Mul", upsample(planes[channel]), photo))
    return alpha


def _alpha_times_source(g: GraphBuilder, full: str, hw: str, source_alpha: str) -> str:
    """Alpha [1, 1, H, W] or [1, H, W, 1] in 0..1 → round(alpha · source alpha), float [H, W, 1] 0..255."""
    full_hwc = g.op("Reshape", full, g.op("Concat", hw, g.ints(1), axis=0))
    # Clipped to 0..1 before the product, so the source's own alpha is a
    # ceiling (the guided filter's alpha overshoots 1 near edges: 1.12 · 128
    # would give 143 where the source says 128); round(a · 255) for opaque sources.
    clipped = g.op("Clip", full_hwc, g.const(0.0), g.const(1.0))
    return g.op("Round", g.op("Mul", clipped, g.op("Cast", source_alpha, to=FLOAT)))


def _foreground_offset_255(g: GraphBuilder, guide: str, coefficients: str, side: int) -> str:
    """G of the foreground estimate on the grid, [1, 3, S, S] in 0..255 (``_decontaminate``)."""
    grid_alpha = g.op("Clip", apply_coefficients(g, *split_coefficients(g, coefficients), _to_nhwc(g, guide)),
                      g.const(0.0), g.const(1.0))
    offset = foreground_offset(g, guide, _to_nchw(g, grid_alpha), side)
    return g.op("Clip", g.op("Mul", offset, g.const(255.0)), g.const(0.0), g.const(255.0))


def _decontaminated(b: GraphBuilder, band: Band, cutout: str, offset_255: str, alpha_255: str) -> str:
    """The band's cutout uint8 [h, W, 4], its RGB the estimated foreground colour where 0 < alpha < 255.

    Only the soft pixels are touched, and they are usually a thin band along
    the outline (a few % of a photo): their coordinates are gathered
    (NonZero), G is sampled there from the grid (GridSample, the same
    half-pixel bilinear interpolation a full-size Resize would do), and the
    new colours are scattered back into the photo's own bytes. Upsampling G
    and blending at every one of 12 M pixels cost more than the rest of the
    post-processing together.
    """
    plane = b.op("Squeeze", alpha_255, b.ints(2))  # [h, W]
    is_soft = b.op("And", b.op("Greater", plane, b.const(0.0)), b.op("Less", plane, b.const(255.0)))
    where = b.op("Transpose", b.op("NonZero", is_soft), perm=[1, 0], hint="soft_yx")  # [N, 2] (y, x) in the band
    pixels = b.op("GatherND", cutout, where)  # [N, 4]
    colour = b.op("Cast", b.op("Slice", pixels, b.ints(0), b.ints(3), b.ints(1)), to=FLOAT)  # [N, 3]
    alpha = b.op("GatherND", plane, where)  # [N]
    in_photo = b.op("Add", where, b.op("Concat", band.y0, b.ints(0), axis=0))  # (y, x) in the whole photo
    sampled = b.op("GridSample", offset_255, _sampling_grid(b, in_photo, band.photo_hw), mode="bilinear",
                   padding_mode="border", align_corners=0)  # [1, 3, 1, N]
    offset_at = b.op("Transpose", b.op("Reshape", sampled, b.ints(3, -1)), perm=[1, 0])  # [N, 3]
    # F = αI + (1 − α)G, i.e. I + (1 − α)(G − I): a convex blend, so in 0..255.
    transparency = b.op("Unsqueeze", b.op("Sub", b.const(1.0), b.op("Mul", alpha, b.const(1 / 255))), b.ints(1))
    blended = b.op("Add", colour, b.op("Mul", transparency, b.op("Sub", offset_at, colour)))
    foreground = b.op("Cast", b.op("Round", blended), to=UINT8)
    updated = b.op("Concat", foreground, b.op("Slice", pixels, b.ints(3), b.ints(4), b.ints(1)), axis=1)  # alpha kept
    return b.op("ScatterND", cutout, where, updated, hint="decontaminated")


def _sampling_grid(g: GraphBuilder, where: str, hw: str) -> str:
    """Pixel (y, x) indices [N, 2] → GridSample's normalised (x, y) centres [1, N, 1, 2].

    With align_corners=0, −1 and 1 are the outer edges of the sampled plane,
    so a pixel centre (x + ½)/W maps to the same source point as a
    half-pixel Resize from the grid to W×H.
    """
    centres = g.op("Div", g.op("Add", g.op("Cast", where, to=FLOAT), g.const(0.5)), g.op("Cast", hw, to=FLOAT))
    normalised = g.op("Sub", g.op("Mul", centres, g.const(2.0)), g.const(1.0))
    xy = g.op("Concat", g.op("Slice", normalised, g.ints(1), g.ints(2), g.ints(1)),
              g.op("Slice", normalised, g.ints(0), g.ints(1), g.ints(1)), axis=1)
    return g.op("Reshape", xy, g.ints(1, -1, 1, 2))
