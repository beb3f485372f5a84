"""The contact sheet: one row per pair, so a person can see what went wrong.

Columns: photo, ground truth, then per method its alpha, and for the first
method (ours) the cutout on a checkerboard and an error map (red: alpha too
high, i.e. background kept; blue: too low, subject lost).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

__all__ = ["write_contact_sheet", "on_checkerboard", "error_map", "LABEL_FONT"]

_ROW_HEIGHT = 180
_GAP = 4
LABEL_FONT = ImageFont.load_default(size=13)


def write_contact_sheet(path: Path, rows: list[tuple[str, np.ndarray, np.ndarray, dict[str, np.ndarray]]]) -> Path:
    """rows: (pair id, photo rgba, truth alpha, {method: cutout rgba}); the first method is ours."""
    tiles = [_row_tiles(*row) for row in rows]
    labels = ["photo", "truth", *[f"{m} alpha" for m in rows[0][3]],
              "ours on checkerboard", "ours - truth (red: too high)"]
    width = max(sum(t.width + _GAP for t in row) for row in tiles)
    column_width = max(t.width for row in tiles for t in row) + _GAP
    sheet = Image.new("RGB", (max(width, column_width * len(labels)), 20 + len(tiles) * (_ROW_HEIGHT + _GAP)), "white")
    draw = ImageDraw.Draw(sheet)
    for index, label in enumerate(labels):
        draw.text((index * column_width + 2, 4), label, fill="black", font=LABEL_FONT)
    for row_index, row in enumerate(tiles):
        y = 20 + row_index * (_ROW_HEIGHT + _GAP)
        for column, tile in enumerate(row):
            sheet.paste(tile, (column * column_width, y))
        draw.text((2, y + 2), rows[row_index][0], fill="yellow", font=LABEL_FONT)
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path)
    return path


def on_checkerboard(cutout: np.ndarray, square: int = 8) -> np.ndarray:
    height, width = cutout.shape[:2]
    y, x = np.indices((height, width))
    board = np.where(((y // square + x // square) % 2 == 0)[..., None], 200.0, 255.0)
    alpha = cutout[..., 3:4].astype(np.float64) / 255.0
    return np.round(alpha * cutout[..., :3] + (1 - alpha) * board).astype(np.uint8)


def error_map(alpha: np.ndarray, truth: np.ndarray) -> np.ndarray:
    difference = alpha.astype(np.int16) - truth.astype(np.int16)
    out = np.zeros(alpha.shape + (3,), np.uint8)
    out[..., 0] = np.clip(difference, 0, 255)
    out[..., 2] = np.clip(-difference, 0, 255)
    return out


def _row_tiles(pair_id, photo, truth, cutouts) -> list[Image.Image]:
    ours = next(iter(cutouts.values()))
    planes = [photo[..., :3], _grey(truth), *[_grey(c[..., 3]) for c in cutouts.values()],
              on_checkerboard(ours), error_map(ours[..., 3], truth)]
    return [_thumbnail(p) for p in planes]


def _grey(alpha: np.ndarray) -> np.ndarray:
    return np.repeat(alpha[..., None], 3, axis=2)


def _thumbnail(rgb: np.ndarray) -> Image.Image:
    image = Image.fromarray(np.ascontiguousarray(rgb))
    width = max(1, round(image.width * _ROW_HEIGHT / image.height))
    return image.resize((width, _ROW_HEIGHT), Image.Resampling.BILINEAR)
