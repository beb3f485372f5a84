"""Reading an evaluation manifest: photo / ground-truth alpha pairs.

The manifest is JSON ``{"pairs": [{"id", "gt_type", "image", "alpha", ...}]}``
with file names relative to the manifest's folder (the layout of
``../shared/eval/manifest.json``). Photos are read from there, never copied.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

__all__ = ["EvalPair", "load_manifest", "GT_TYPES"]

#: Ground-truth kinds, in the order they are reported. ``pseudo_soft_alpha``
#: (a matting algorithm's output, not a person's) is shown but never averaged
#: into the targets.
GT_TYPES = ("binary_mask", "soft_alpha", "pseudo_soft_alpha")


@dataclass(frozen=True)
class EvalPair:
    id: str
    gt_type: str
    image_path: Path
    alpha_path: Path
    category: str = ""

    def load_rgba(self) -> np.ndarray:
        """The photo as uint8 RGBA [H, W, 4] (EXIF orientation is not applied: the GT is not rotated either)."""
        with Image.open(self.image_path) as image:
            return np.asarray(image.convert("RGBA"))

    def load_alpha(self) -> np.ndarray:
        """Ground-truth alpha as uint8 [H, W]."""
        with Image.open(self.alpha_path) as image:
            return np.asarray(image.convert("L"))


def load_manifest(path: str | Path) -> list[EvalPair]:
    path = Path(path)
    data = json.loads(path.read_text())
    pairs = []
    for row in data["pairs"]:
        if row["gt_type"] not in GT_TYPES:
            raise ValueError(f"{path}: pair {row['id']!r} has unknown gt_type {row['gt_type']!r}")
        pairs.append(EvalPair(
            id=row["id"], gt_type=row["gt_type"], category=row.get("subject_category", ""),
            image_path=path.parent / row["image"], alpha_path=path.parent / row["alpha"],
        ))
    return pairs
