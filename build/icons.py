"""Offcut's toolbar and store icons, drawn at build time (no binary files in git).

The mark: a subject (a rounded blob) lifted off a checkerboard, the universal
sign for "transparent", on the brand's deep teal tile.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SIZES = (16, 32, 48, 128)
_TILE = (14, 94, 102, 255)
_CHECK_LIGHT, _CHECK_DARK = (236, 240, 241, 255), (189, 199, 202, 255)
_SUBJECT = (255, 183, 77, 255)
_SUPERSAMPLE = 4  # draw large, shrink with antialiasing: crisp at 16 px


def draw_icon(size: int) -> Image.Image:
    big = size * _SUPERSAMPLE
    icon = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(icon)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=_TILE)
    inset, cells = big // 8, 4
    cell = (big - 2 * inset) / cells
    for row in range(cells):
        for col in range(cells):
            colour = _CHECK_LIGHT if (row + col) % 2 == 0 else _CHECK_DARK
            x0, y0 = inset + col * cell, inset + row * cell
            draw.rectangle((x0, y0, x0 + cell, y0 + cell), fill=colour)
    margin = big * 0.27
    draw.ellipse((margin, margin * 0.8, big - margin, big - margin * 0.8), fill=_SUBJECT)
    return icon.resize((size, size), Image.Resampling.LANCZOS)


def write_icons(target: Path) -> dict[str, str]:
    """Write icons/icon-<size>.png; return the manifest's ``icons`` mapping."""
    target.mkdir(parents=True, exist_ok=True)
    icons = {}
    for size in SIZES:
        draw_icon(size).save(target / f"icon-{size}.png")
        icons[str(size)] = f"{target.name}/icon-{size}.png"
    return icons
