"""The README's before/after picture: a photo, ISNet as @imgly runs it, Offcut's default.

    .venv/bin/python -m offcut.eval.before_after docs/before-after.png

The photo is scikit-image's ``chelsea`` (public domain), so the picture may
live in the repository; the evaluation photos in ../shared/eval may not.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from ..catalog import DEFAULT_MODEL_ID
from ._methods import anchor_method, pipeline_method
from ._sheet import LABEL_FONT, on_checkerboard

__all__ = ["before_after"]

_LABEL_HEIGHT = 18
_PANEL_WIDTH = 300  # keeps the README's picture small
_GAP = 6


def before_after(target: Path) -> Path:
    import skimage.data  # a test-time dependency; this picture is made from a checkout

    photo = skimage.data.chelsea()
    rgba = np.dstack([photo, np.full(photo.shape[:2], 255, np.uint8)])
    panels = [
        ("photo (scikit-image chelsea)", photo),
        ("ISNet as @imgly does it", on_checkerboard(anchor_method("imgly")(rgba))),
        ("Offcut default", on_checkerboard(pipeline_method(DEFAULT_MODEL_ID)(rgba))),
    ]
    width = _PANEL_WIDTH
    height = round(photo.shape[0] * width / photo.shape[1])
    picture = Image.new("RGB", (len(panels) * (width + _GAP) - _GAP, height + _LABEL_HEIGHT), "white")
    draw = ImageDraw.Draw(picture)
    for index, (label, pixels) in enumerate(panels):
        x = index * (width + _GAP)
        panel = Image.fromarray(pixels).resize((width, height), Image.Resampling.LANCZOS)
        picture.paste(panel, (x, _LABEL_HEIGHT))
        draw.text((x + 2, 2), label, fill="black", font=LABEL_FONT)
    target.parent.mkdir(parents=True, exist_ok=True)
    picture.save(target, optimize=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, nargs="?", default=Path("docs/before-after.png"))
    print(f"wrote {before_after(parser.parse_args().target)}")


if __name__ == "__main__":
    main()
