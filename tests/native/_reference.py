"""A straightforward numpy/Pillow implementation of the fused graph's steps.

Written independently of the graph builder, step by step as the catalog row
describes the model, so the graph-vs-reference test proves the graph computes
what it claims. Pillow's float ("F" mode) resize is the reference resampler:
its BILINEAR filter is the triangle filter, antialiased when shrinking.

Rows with ``fused_with`` / ``refines_edges`` add, in the same plain style:
the companion network's mask and the fusion rule, a colour guided filter
solved per pixel with ``numpy.linalg.solve``, and blur-fusion foreground
colours (Forte & Pitié 2021) written where 0 < alpha < 255. The constants are
written out here again on purpose, so a change in the graph shows up as a
failing comparison rather than silently moving both sides.
"""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
from PIL import Image

from offcut import ModelSpec
from offcut._store import model_path
from offcut.catalog import fused_companions

# The fused rows' constants (issue 4), as documented in the graph modules.
COMPANION_SIDE = 256      # _fusion: the companion network is fed 256×256
PRIMARY_SURE = 0.02       # _fusion: the primary counts as certain within 0.02 of 0 or 1
STEEPEN = 1.2             # _refine: contrast stretch about 0.5 before the guided filter
GUIDED_RADIUS, GUIDED_EPSILON = 4, 1e-4  # radius on a 1024² grid
WIDE_RADIUS, NARROW_RADIUS, COARSE_DIVISOR = 22, 6, 4  # _decontaminate, radii on a 1024² grid


def _on_grid(radius_at_1024: int, side: int) -> int:
    """Windows keep their share of the photo on other grids."""
    return max(1, round(radius_at_1024 * side / 1024))


SHRINK_OVERSAMPLE = 4     # _builder.shrink_linear: bilinear at k× the target per axis (k ≤ 4), then k-block means


def _resize_plane(plane: np.ndarray, width: int, height: int) -> np.ndarray:
    """Bilinear enlargement (Pillow's triangle filter: plain bilinear when enlarging)."""
    image = Image.fromarray(plane.astype(np.float32), mode="F")
    return np.asarray(image.resize((width, height), Image.Resampling.BILINEAR), dtype=np.float32)


def _resize_planes(planes: np.ndarray, width: int, height: int) -> np.ndarray:
    """[C, h, w] → [C, height, width]."""
    return np.stack([_resize_plane(plane, width, height) for plane in planes])


def _bilinear_samples(plane: np.ndarray, width: int, height: int) -> np.ndarray:
    """Plain bilinear sampling at pixel centres (half-pixel), edges clamped, no prefilter."""
    def taps(size_in: int, size_out: int):
        centre = np.clip((np.arange(size_out) + 0.5) * size_in / size_out - 0.5, 0, size_in - 1)
        low = np.floor(centre).astype(int)
        high = np.minimum(low + 1, size_in - 1)
        return low, high, (centre - low)[:, None]

    y0, y1, wy = taps(plane.shape[0], height)
    rows = plane[y0] * (1 - wy) + plane[y1] * wy
    x0, x1, wx = taps(plane.shape[1], width)
    return (rows[:, x0] * (1 - wx.T) + rows[:, x1] * wx.T).astype(np.float32)


def _shrink_planes(planes: np.ndarray, width: int, height: int) -> np.ndarray:
    """[C, h, w] → [C, height, width]: bilinear samples on a finer grid, averaged per block.

    Per axis, k = the source's pixels per target pixel rounded up, 1 to 4.
    """
    ky, kx = (min(SHRINK_OVERSAMPLE, max(1, -(-size // target)))
              for size, target in ((planes.shape[1], height), (planes.shape[2], width)))
    fine = np.stack([_bilinear_samples(p.astype(np.float64), width * kx, height * ky) for p in planes])
    return fine.reshape(len(planes), height, ky, width, kx).mean(axis=(2, 4)).astype(np.float32)


def network_input(spec: ModelSpec, rgba: np.ndarray) -> np.ndarray:
    side = spec.side
    return normalised(spec, _shrink_planes(rgba[..., :3].transpose(2, 0, 1), side, side))  # 0..255 in


def normalised(spec: ModelSpec, resized: np.ndarray) -> np.ndarray:
    norm = spec.normalisation
    if norm.scale_to_image_max:
        resized = resized / max(resized.max(), 1e-6)
    mean = np.array(norm.mean, np.float32)[:, None, None]
    std = np.array(norm.std, np.float32)[:, None, None]
    return ((resized - mean) / std)[None].astype(np.float32)


class ReferenceNetwork:
    def __init__(self, spec: ModelSpec, any_input_size: bool = False) -> None:
        self.spec = spec
        model = onnx.load(str(model_path(spec)))
        if spec.int8_calibration:
            # The reference checks the pipeline's maths around the network, so it runs
            # the network the graph embeds: quantised by the same library calls.
            from offcut.graph._network import embedded_network

            model = embedded_network(spec, model)
        elif spec.side != spec.input_size:
            # ISNet's export froze its upsampling targets for its trained side; the graph
            # builder's own rescaling of those constants is the only way to run it on another grid.
            from offcut.graph._network import resized_for_grid

            model = resized_for_grid(model, spec.side, spec.input_size)
        if any_input_size:  # the file declares its trained side; the network itself is fully convolutional
            for dim in model.graph.input[0].type.tensor_type.shape.dim[2:]:
                dim.dim_param = "side"
            for output in model.graph.output:
                output.type.tensor_type.ClearField("shape")
            del model.graph.value_info[:]
        self.session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])

    def mask(self, net_input: np.ndarray) -> np.ndarray:
        """Foreground probability at the input's resolution, 0..1."""
        output = self.session.run([self.spec.output_name], {self.spec.input_name: net_input})
        mask = output[0][0, 0].astype(np.float32)
        if self.spec.output_is_minmax_scaled:
            mask = (mask - mask.min()) / max(mask.max() - mask.min(), 1e-6)
        return np.clip(mask, 0.0, 1.0)


class ReferencePipeline:
    def __init__(self, spec: ModelSpec) -> None:
        self.spec = spec
        self.network = ReferenceNetwork(spec, any_input_size=spec.side != spec.input_size)
        self.companions = [ReferenceNetwork(c, any_input_size=True) for c in fused_companions(spec)]

    def mask(self, rgba: np.ndarray) -> np.ndarray:
        """Foreground probability on the network's grid, 0..1 (fused with the companions)."""
        side = self.spec.side
        grid = _shrink_planes(rgba[..., :3].transpose(2, 0, 1), side, side)
        mask = self.network.mask(normalised(self.spec, grid))
        for companion in self.companions:
            small = _shrink_planes(grid, COMPANION_SIDE, COMPANION_SIDE)
            second = _resize_plane(companion.mask(normalised(companion.spec, small)), side, side)
            mask = fuse(mask, second)
        return mask

    def cutout(self, rgba: np.ndarray) -> np.ndarray:
        height, width = rgba.shape[:2]
        out = rgba.copy()
        if not self.spec.refines_edges:
            full = _resize_plane(self.mask(rgba), width, height)
            out[..., 3] = _times_source_alpha(full, rgba)
            return out
        side = self.spec.side
        guide = _shrink_planes(rgba[..., :3].transpose(2, 0, 1), side, side) / 255.0  # [3, S, S]
        a, b = guided_filter(guide, steepen(self.mask(rgba)))
        photo = rgba[..., :3].astype(np.float64).transpose(2, 0, 1)
        full = np.sum(_resize_planes(a / 255.0, width, height) * photo, axis=0) + _resize_plane(b, width, height)
        out[..., 3] = _times_source_alpha(full, rgba)
        if not self.spec.decontaminates:
            return out
        grid_alpha = np.clip(np.sum(a * guide, axis=0) + b, 0.0, 1.0)
        offset = np.clip(foreground_offset(guide, grid_alpha) * 255.0, 0.0, 255.0)
        out[..., :3] = decontaminated(photo, _resize_planes(offset, width, height), out[..., 3])
        return out


def _times_source_alpha(full: np.ndarray, rgba: np.ndarray) -> np.ndarray:
    return np.round(np.clip(full, 0, 1) * rgba[..., 3].astype(np.float32)).astype(np.uint8)


def fuse(primary: np.ndarray, companion: np.ndarray) -> np.ndarray:
    """The companion moves the primary only where the primary is unsure, as far as it is sure itself."""
    unsure = np.clip(np.minimum(primary, 1 - primary) / PRIMARY_SURE, 0, 1)
    return primary + (companion - primary) * unsure * (2 * companion - 1) ** 2


def steepen(mask: np.ndarray) -> np.ndarray:
    return np.clip((mask - 0.5) * STEEPEN + 0.5, 0, 1)


def box_mean(planes: np.ndarray, radius: int) -> np.ndarray:
    """Mean over (2r+1)² windows clipped at the borders, [C, h, w] (summed-area table)."""
    padded = np.pad(planes.astype(np.float64), ((0, 0), (1, 0), (1, 0)))
    table = padded.cumsum(1).cumsum(2)
    h, w = planes.shape[1:]
    y0 = np.clip(np.arange(h) - radius, 0, h)
    y1 = np.clip(np.arange(h) + radius + 1, 0, h)
    x0 = np.clip(np.arange(w) - radius, 0, w)
    x1 = np.clip(np.arange(w) + radius + 1, 0, w)
    sums = (table[:, y1][:, :, x1] - table[:, y0][:, :, x1] - table[:, y1][:, :, x0] + table[:, y0][:, :, x0])
    return sums / ((y1 - y0)[:, None] * (x1 - x0)[None, :])


def guided_filter(guide: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """He et al.'s colour guided filter: the smoothed (A [3, S, S], B [S, S]) of mask ≈ A·guide + B."""
    r = _on_grid(GUIDED_RADIUS, guide.shape[1])
    mean_i, mean_p = box_mean(guide, r), box_mean(mask[None], r)[0]
    cov_ip = box_mean(guide * mask, r) - mean_i * mean_p
    products = (guide[:, None] * guide[None, :]).reshape(9, *mask.shape)
    sigma = box_mean(products, r) - (mean_i[:, None] * mean_i[None, :]).reshape(9, *mask.shape)
    sigma = sigma.reshape(3, 3, *mask.shape).transpose(2, 3, 0, 1) + GUIDED_EPSILON * np.eye(3)
    a = np.linalg.solve(sigma, cov_ip.transpose(1, 2, 0)[..., None])[..., 0].transpose(2, 0, 1)
    b = mean_p - np.sum(a * mean_i, axis=0)
    return box_mean(a, r), box_mean(b[None], r)[0]


def _blurred_colours(foreground, background, alpha, radius):
    means = box_mean(np.concatenate([foreground * alpha, background * (1 - alpha), alpha[None]]), radius)
    return means[:3] / (means[6] + 1e-5), means[3:6] / (1 - means[6] + 1e-5)


def foreground_offset(guide: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Blur-fusion (two passes); returns G with F = αI + (1 − α)G."""
    side = guide.shape[1]
    coarse = side // COARSE_DIVISOR
    small_guide = _shrink_planes(guide, coarse, coarse)
    small_alpha = _shrink_planes(alpha[None], coarse, coarse)[0]
    wide_f, wide_b = _blurred_colours(small_guide, small_guide, small_alpha, _on_grid(WIDE_RADIUS, side))
    wide_f, wide_b = _resize_planes(wide_f, side, side), _resize_planes(wide_b, side, side)
    first = np.clip(wide_f + alpha * (guide - alpha * wide_f - (1 - alpha) * wide_b), 0, 1)
    narrow_f, narrow_b = _blurred_colours(first, wide_b, alpha, _on_grid(NARROW_RADIUS, side))
    return narrow_f + alpha * (narrow_f - narrow_b)


def decontaminated(photo: np.ndarray, offset: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """[H, W, 3] uint8: αI + (1 − α)G where 0 < alpha < 255, the photo elsewhere."""
    a = alpha.astype(np.float64) / 255.0
    colour = np.clip(a * photo + (1 - a) * offset, 0, 255)
    soft = (alpha > 0) & (alpha < 255)
    return np.round(np.where(soft, colour, photo)).astype(np.uint8).transpose(1, 2, 0)
