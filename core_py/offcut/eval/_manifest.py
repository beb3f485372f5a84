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

__all__ = ["EvalPair", "ManifestError", "load_manifest", "GT_TYPES"]

#: Ground-truth kinds, in the order they are reported. ``pseudo_soft_alpha``
#: (a matting algorithm's output, not a person's) is shown but never averaged
#: into the targets. ``peer_removebg_mask`` is remove.bg's binary mask of a
#: photo of people: agreement with the commercial leader, not ground truth,
#: scored like ``binary_mask`` and reported on its own line.
GT_TYPES = ("binary_mask", "soft_alpha", "pseudo_soft_alpha", "peer_removebg_mask")


class ManifestError(ValueError):
    """A manifest that cannot be evaluated; the message names the file and the pair."""


@dataclass(frozen=True)
class EvalPair:
    id: str
    gt_type: str
    image_path: Path
    alpha_path: Path
    category: str = ""
    source: str = ""  # where the pair comes from (the manifest's source repo, else its file name)

    def load_rgba(self) -> np.ndarray:
        """The photo as uint8 RGBA [H, W, 4] (EXIF orientation is not applied: the GT is not rotated either)."""
        with Image.open(self.image_path) as image:
            return np.asarray(image.convert("RGBA"))

    def load_alpha(self) -> np.ndarray:
        """Ground-truth alpha as uint8 [H, W]."""
        with Image.open(self.alpha_path) as image:
            return np.asarray(image.convert("L"))


def load_manifest(path: str | Path) -> list[EvalPair]:
    """Every pair, checked up front (keys, kinds, files present) so a bad row
    stops the run before minutes of inference, with the row named."""
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ManifestError(f"{path}: not a readable JSON manifest ({err})") from None
    rows = data.get("pairs") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not rows:
        raise ManifestError(f'{path}: expected {{"pairs": [...]}} with at least one pair')
    pairs = []
    for number, row in enumerate(rows, 1):
        try:
            source = row.get("source")
            pair = EvalPair(id=str(row["id"]), gt_type=row["gt_type"], category=row.get("subject_category", ""),
                            image_path=path.parent / row["image"], alpha_path=path.parent / row["alpha"],
                            source=str(source.get("repo") or source.get("kind") or path.stem)
                            if isinstance(source, dict) else str(source or path.stem))
        except (KeyError, TypeError, AttributeError):
            raise ManifestError(f"{path}: pair #{number} needs string fields id, gt_type, image and alpha") from None
        if pair.gt_type not in GT_TYPES:
            raise ManifestError(f"{path}: pair {pair.id!r} has unknown gt_type {pair.gt_type!r} "
                                f"(one of: {', '.join(GT_TYPES)})")
        for file in (pair.image_path, pair.alpha_path):
            if not file.is_file():
                raise ManifestError(f"{path}: pair {pair.id!r}: {file} does not exist")
        pairs.append(pair)
    return pairs
