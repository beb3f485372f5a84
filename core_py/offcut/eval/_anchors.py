"""The peers' methods, imitated step by step so our numbers have a comparison.

These deliberately do *not* use the fused graph: they reproduce what the other
tools do (their resampling, their rounding), with numpy, Pillow and
onnxruntime directly on the unmodified model files.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import onnxruntime as ort
from PIL import Image

from .._integrity import verify_model_file
from .._store import model_path
from ..catalog import get_model

__all__ = ["ANCHORS", "imgly_isnet_alpha", "rembg_u2netp_alpha"]

_IMGLY_SIDE = 1024
_REMBG_SIDE = 320
_IMAGENET_MEAN = np.array([0.485, 0.456, 0.406])
_IMAGENET_STD = np.array([0.229, 0.224, 0.225])


def imgly_isnet_alpha(rgba: np.ndarray) -> np.ndarray:
    """@imgly/background-removal 1.x with ISNet fp16 ("medium"): uint8 alpha [H, W].

    Its ``tensorResizeBilinear`` samples source coordinate ``x · W / 1024``
    (no half-pixel offset, no antialiasing) into a Uint8Array (truncating),
    feeds ``(v − 128) / 256``, stores ``output · 255`` truncated to uint8 and
    resizes that mask back with the same bilinear function.
    """
    rgb = rgba[..., :3].astype(np.float64)
    small = np.floor(_imgly_resize(rgb, _IMGLY_SIDE, _IMGLY_SIDE))
    net_input = ((small - 128.0) / 256.0).transpose(2, 0, 1)[None].astype(np.float32)
    session = _session("isnet")
    output = session.run(None, {session.get_inputs()[0].name: net_input})[0][0, 0]
    mask = np.floor(np.clip(output, 0.0, 1.0) * 255.0)
    height, width = rgba.shape[:2]
    return np.floor(_imgly_resize(mask[..., None], height, width))[..., 0].astype(np.uint8)


def rembg_u2netp_alpha(rgba: np.ndarray) -> np.ndarray:
    """rembg's ``u2netp`` session: uint8 alpha [H, W]."""
    image = Image.fromarray(np.ascontiguousarray(rgba[..., :3]))
    small = np.asarray(image.resize((_REMBG_SIDE, _REMBG_SIDE), Image.LANCZOS), dtype=np.float64)
    small = small / max(float(small.max()), 1e-6)
    net_input = ((small - _IMAGENET_MEAN) / _IMAGENET_STD).transpose(2, 0, 1)[None].astype(np.float32)
    session = _session("u2netp")
    prediction = session.run(None, {session.get_inputs()[0].name: net_input})[0][0, 0]
    low, high = prediction.min(), prediction.max()
    prediction = (prediction - low) / (high - low)
    mask = Image.fromarray((prediction * 255).astype(np.uint8), mode="L")
    return np.asarray(mask.resize((image.width, image.height), Image.LANCZOS))


def _imgly_resize(values: np.ndarray, height: int, width: int) -> np.ndarray:
    """imgly's bilinear resize of an [h, w, c] array: neighbours floor/ceil of ``x · w / width``."""
    src_h, src_w = values.shape[:2]
    y = np.arange(height) * (src_h / height)
    x = np.arange(width) * (src_w / width)
    y0, x0 = np.floor(y).astype(int), np.floor(x).astype(int)
    y1, x1 = np.minimum(np.ceil(y).astype(int), src_h - 1), np.minimum(np.ceil(x).astype(int), src_w - 1)
    fy, fx = (y - y0)[:, None, None], (x - x0)[None, :, None]
    top = values[y0][:, x0] * (1 - fx) + values[y0][:, x1] * fx
    bottom = values[y1][:, x0] * (1 - fx) + values[y1][:, x1] * fx
    return top * (1 - fy) + bottom * fy


@lru_cache(maxsize=2)
def _session(model_id: str) -> ort.InferenceSession:
    spec = get_model(model_id)
    path = model_path(spec)
    verify_model_file(spec, path)
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


#: name → function(rgba uint8 [H, W, 4]) → alpha uint8 [H, W]
ANCHORS = {"imgly": imgly_isnet_alpha, "rembg-u2netp": rembg_u2netp_alpha}
