"""Exports on the native host: the export graph's geometry and compositing,
each format decoded back, and the CLI's options end to end."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from offcut import Crop, ExportOptions, RgbaImage, export_cutout
from offcut._native_encode import encode_verified

from ..conftest import photo_path

pytestmark = pytest.mark.native

H, W = 120, 160
BOX = (30, 50, 80, 110)  # top, left, bottom, right (exclusive) of the visible subject


@pytest.fixture(scope="module")
def cutout():
    """A cutout whose RGB is noise everywhere (also under alpha 0), an opaque block and a soft rim."""
    rng = np.random.default_rng(7)
    rgba = np.zeros((H, W, 4), np.uint8)
    rgba[..., :3] = rng.integers(0, 256, (H, W, 3))
    top, left, bottom, right = BOX
    rgba[top:bottom, left:right, 3] = 255
    rgba[top, left:right, 3] = 90  # a soft first row: visible, so inside the box
    return rgba


def up_filtered(rgba: np.ndarray) -> bytes:
    rows = rgba.reshape(rgba.shape[0], -1)
    filtered = np.concatenate([rows[:1], rows[1:] - rows[:-1]])  # uint8 wraps mod 256, as "Up" wants
    return np.concatenate([np.full((rows.shape[0], 1), 2, np.uint8), filtered], axis=1).tobytes()


def export(cutout, options, photo=None):
    """The API's export of a cutout given by its rows: the graph, then the file made and checked."""
    picture = export_cutout(SimpleNamespace(png_rows=up_filtered(cutout), width=W, height=H), options, photo)
    return picture, Image.open(io.BytesIO(picture.data))


def test_the_plain_options_give_the_cutout_back_byte_for_byte(cutout):
    picture, image = export(cutout, ExportOptions())
    assert picture.box == (0, 0, H, W) and image.mode == "RGBA"
    assert np.array_equal(np.asarray(image), cutout)


@pytest.mark.parametrize("crop, margin", [(Crop(0, "px"), 0), (Crop(7, "px"), 7), (Crop(10, "%"), 6)])
def test_crop_keeps_the_alpha_box_grown_by_the_margin(cutout, crop, margin):
    picture, image = export(cutout, ExportOptions(crop=crop))
    top, left, bottom, right = BOX
    expected = (top - margin, left - margin, bottom + margin, right + margin)  # 10 % of the 60-px longer side
    assert picture.box == expected
    assert image.size == (expected[3] - expected[1], expected[2] - expected[0])
    assert np.array_equal(np.asarray(image), cutout[expected[0]:expected[2], expected[1]:expected[3]])


def test_a_margin_past_the_edge_is_clamped_and_an_empty_cutout_keeps_the_whole_picture(cutout):
    picture, _ = export(cutout, ExportOptions(crop=Crop(100, "px")))
    assert picture.box == (0, 0, H, W)
    empty = cutout.copy()
    empty[..., 3] = 0
    picture, image = export(empty, ExportOptions(crop=Crop(5, "px")))
    assert picture.box == (0, 0, H, W) and image.size == (W, H)


def test_max_size_shrinks_the_longer_side_and_never_enlarges(cutout):
    picture, image = export(cutout, ExportOptions(max_size=80))
    assert image.size == (80, 60)
    picture, image = export(cutout, ExportOptions(max_size=1000))
    assert image.size == (W, H)


def test_a_colour_background_shows_where_the_cutout_is_transparent_and_nowhere_else(cutout):
    _, image = export(cutout, ExportOptions(background="#1e6fd9"))
    pixels = np.asarray(image)
    assert image.mode == "RGB"
    assert (pixels[0, 0] == (0x1E, 0x6F, 0xD9)).all()
    top, left, bottom, right = BOX
    assert np.array_equal(pixels[top + 1:bottom, left:right], cutout[top + 1:bottom, left:right, :3])
    soft = cutout[top, left + 3].astype(float)
    blended = soft[:3] * 90 / 255 + np.array([0x1E, 0x6F, 0xD9]) * (1 - 90 / 255)
    assert np.abs(pixels[top, left + 3] - blended).max() <= 1


def test_a_blurred_background_is_the_photo_blurred(cutout):
    photo = np.zeros((H, W, 4), np.uint8)
    photo[:, : W // 2, :3] = 255  # white left half, black right half
    photo[..., 3] = 255
    _, image = export(cutout, ExportOptions(background="blur"), RgbaImage(W, H, photo.tobytes()))
    pixels = np.asarray(image).astype(int)
    assert pixels[5, 2].min() > 200 and pixels[5, W - 3].max() < 55  # far from the edge: the photo's colours
    middle = pixels[5, W // 2 - 3 : W // 2 + 3, 0]
    assert 30 < middle.min() and middle.max() < 225  # at the edge: blurred into each other


def test_only_the_mask_is_grey_alpha(cutout):
    _, image = export(cutout, ExportOptions(only_mask=True, background="#ff0000"))
    assert image.mode == "L" and np.array_equal(np.asarray(image), cutout[..., 3])


def test_webp_is_lossless_and_keeps_colour_under_transparent_pixels(cutout):
    _, image = export(cutout, ExportOptions(format="webp"))
    assert image.format == "WEBP" and np.array_equal(np.asarray(image.convert("RGBA")), cutout)


def test_jpeg_carries_the_background(cutout):
    _, image = export(cutout, ExportOptions(format="jpeg", background="#ffffff"))
    pixels = np.asarray(image).astype(int)
    assert image.format == "JPEG" and image.mode == "RGB" and image.size == (W, H)
    assert pixels[2:20, 2:40].min() >= 250


def test_the_command_line_writes_what_its_options_ask_for(tmp_path):
    source = tmp_path / "astronaut.png"
    source.write_bytes(photo_path("astronaut").read_bytes())
    plain = subprocess.run([sys.executable, "-m", "offcut", "remove", str(source), "--model", "u2netp"],
                           capture_output=True, text=True, env=os.environ)
    assert plain.returncode == 0, plain.stderr
    cutout = np.asarray(Image.open(tmp_path / "astronaut-nobg.png"))
    rows, cols = np.nonzero(cutout[..., 3])
    top, left = max(rows.min() - 10, 0), max(cols.min() - 10, 0)
    bottom, right = min(rows.max() + 11, cutout.shape[0]), min(cols.max() + 11, cutout.shape[1])

    result = subprocess.run([sys.executable, "-m", "offcut", "remove", str(source), "--model", "u2netp",
                             "--background", "#FFF", "--crop", "10px", "--format", "webp", "--max-size", "256",
                             "-o", str(tmp_path / "out")], capture_output=True, text=True, env=os.environ)
    assert result.returncode == 0, result.stderr
    webp = Image.open(tmp_path / "out" / "astronaut-nobg.webp")
    scale = 256 / max(bottom - top, right - left)
    assert webp.format == "WEBP" and max(webp.size) == 256
    assert webp.size == (round((right - left) * scale), round((bottom - top) * scale))

    refused = subprocess.run([sys.executable, "-m", "offcut", "remove", str(source), "--format", "jpeg"],
                             capture_output=True, text=True, env=os.environ)
    assert refused.returncode == 2 and "JPEG cannot be transparent" in refused.stderr


@pytest.mark.parametrize("format", ["webp", "jpeg"])
def test_a_file_that_is_not_the_picture_fails_its_check(cutout, format):
    from offcut import PngCheckError
    from offcut._native_encode import _verify

    opaque = cutout.copy()
    opaque[..., 3] = 255
    data = encode_verified(format, opaque.tobytes(), W, H)
    other = opaque.copy()
    other[: H // 2, :, :3] = 255 - other[: H // 2, :, :3]  # half the picture inverted
    with pytest.raises(PngCheckError, match=format.upper() if format == "jpeg" else "WebP"):
        _verify(format, data, other)


def test_only_a_blurred_background_makes_the_blurred_photo():
    """Its upsampling to the picture's size was most of every export's time (3.4 s of 4 at 12 MP), a colour's too."""
    from offcut.graph import build_export_graph

    graph = build_export_graph().graph
    def cubic(node) -> bool:
        return node.op_type == "Resize" and any(a.name == "mode" and a.s == b"cubic" for a in node.attribute)

    assert not [n for n in graph.node if cubic(n)]
    (backdrop,) = [n for n in graph.node if n.op_type == "If"]
    branches = {a.name: a.g for a in backdrop.attribute}
    assert [n.op_type for n in branches["else_branch"].node] == ["Identity"]
    assert any(cubic(n) for n in branches["then_branch"].node)
