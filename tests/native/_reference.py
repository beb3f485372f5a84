"""A straightforward numpy/Pillow implementation of the fused graph's steps.

Written independently of the graph builder, step by step as the catalog row
describes the model, so the graph-vs-reference test proves the graph computes
what it claims. Pillow's float ("F" mode) resize is the reference resampler:
its BILINEAR filter is the triangle filter, antialiased when shrinking.
"""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
from PIL import Image

from offcut import ModelSpec
from offcut._store import model_path


def _resize_plane(plane: np.ndarray, width: int, height: int) -> np.ndarray:
    image = Image.fromarray(plane.astype(np.float32), mode="F")
    return np.asarray(image.resize((width, height), Image.Resampling.BILINEAR), dtype=np.float32)


def network_input(spec: ModelSpec, rgba: np.ndarray) -> np.ndarray:
    side = spec.input_size
    resized = np.stack([_resize_plane(rgba[..., c], side, side) for c in range(3)])  # [3, S, S], 0..255
    norm = spec.normalisation
    if norm.scale_to_image_max:
        resized = resized / max(resized.max(), 1e-6)
    mean = np.array(norm.mean, np.float32)[:, None, None]
    std = np.array(norm.std, np.float32)[:, None, None]
    return ((resized - mean) / std)[None].astype(np.float32)


class ReferencePipeline:
    def __init__(self, spec: ModelSpec) -> None:
        self.spec = spec
        self.session = ort.InferenceSession(str(model_path(spec)), providers=["CPUExecutionProvider"])

    def mask(self, rgba: np.ndarray) -> np.ndarray:
        """Foreground probability at the network's resolution, 0..1."""
        output = self.session.run([self.spec.output_name], {self.spec.input_name: network_input(self.spec, rgba)})
        mask = output[0][0, 0].astype(np.float32)
        if self.spec.output_is_minmax_scaled:
            mask = (mask - mask.min()) / max(mask.max() - mask.min(), 1e-6)
        return np.clip(mask, 0.0, 1.0)

    def cutout(self, rgba: np.ndarray) -> np.ndarray:
        height, width = rgba.shape[:2]
        full = _resize_plane(self.mask(rgba), width, height)
        alpha = np.clip(full * rgba[..., 3].astype(np.float32), 0, 255)
        out = rgba.copy()
        out[..., 3] = np.round(alpha).astype(np.uint8)
        return out
