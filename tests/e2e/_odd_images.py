"""Odd but real image files for the input matrix (test_input_matrix.py), made
at test time with Pillow from the CC0 coffee photo: formats, modes and
encodings people meet on the web, and files that only look like images."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

# EXIF Orientation 6: the stored pixels are shown turned 90° clockwise.
_ROTATE_CLOCKWISE = 6
_ORIENTATION_TAG = 0x0112


def make_odd_images(folder: Path, coffee: Image.Image) -> dict[str, Path]:
    """Write the files into ``folder``; return name → path."""
    small = coffee.resize((300, 200), Image.Resampling.LANCZOS)
    files: dict[str, Path] = {}

    def save(name: str, image: Image.Image, **options) -> None:
        files[name] = folder / name
        image.save(files[name], **options)

    def write(name: str, data: bytes) -> None:
        files[name] = folder / name
        files[name].write_bytes(data)

    save("progressive.jpg", small, quality=90, progressive=True)
    save("grayscale.jpg", small.convert("L"), quality=90)
    save("cmyk.jpg", small.convert("CMYK"), quality=90)
    gray16 = np.asarray(small.convert("L"), dtype=np.uint16) * 257
    save("gray16.png", Image.fromarray(gray16))  # Pillow's mode I;16: a 16-bit greyscale PNG
    # A palette image whose index 0 is transparent: a band across the top.
    palette = small.quantize(colors=64)
    indices = np.asarray(palette).copy()
    indices[indices == 0] = 1
    indices[:20, :] = 0
    transparent = Image.fromarray(indices, "P")
    transparent.putpalette(palette.getpalette())
    save("palette-transparent.png", transparent, transparency=0)
    frames = [small, small.transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    save("animated.gif", frames[0], save_all=True, append_images=frames[1:], duration=200, loop=0)
    save("animated.webp", frames[0], save_all=True, append_images=frames[1:], duration=200, loop=0, quality=90)
    with_alpha = np.asarray(small.convert("RGBA")).copy()
    with_alpha[:, :20, 3] = 0  # a transparent band on the left, over real colours
    save("lossless-alpha.webp", Image.fromarray(with_alpha, "RGBA"), lossless=True, exact=True)
    save("photo.avif", small, quality=80)
    save("photo.bmp", small)
    save("icon.ico", small.resize((64, 64)), sizes=[(64, 64)])
    exif = Image.Exif()
    exif[_ORIENTATION_TAG] = _ROTATE_CLOCKWISE
    save("exif-rotated.jpg", small, quality=90, exif=exif)  # stored 300×200, shown 200×300
    save("panorama.jpg", coffee.resize((3000, 80)), quality=90)
    save("eight.png", small.resize((8, 8)))
    save("seven.png", small.resize((7, 7)))
    save("photo.tiff", small)
    write("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
                         b'<circle cx="20" cy="20" r="18" fill="teal"/></svg>')
    write("notes.txt", b"Shopping list: coffee, milk.\n")
    jpeg = io.BytesIO()
    small.save(jpeg, format="JPEG", quality=90)
    write("truncated.jpg", jpeg.getvalue()[: len(jpeg.getvalue()) * 3 // 5])
    png = io.BytesIO()
    small.save(png, format="PNG")
    write("truncated.png", png.getvalue()[: len(png.getvalue()) // 2])
    return files
