"""The `offcut` command as a user runs it: a batch with good and bad files."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PIL import Image

from ..conftest import photo_path

pytestmark = pytest.mark.native


def _offcut(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "offcut", *args], capture_output=True, text=True, env=os.environ)


def test_batch_keeps_going_past_a_broken_file(tmp_path):
    good_a = tmp_path / "cat.jpg"
    Image.open(photo_path("chelsea")).convert("RGB").save(good_a, quality=92)
    good_b = tmp_path / "coffee.png"
    good_b.write_bytes(photo_path("coffee").read_bytes())
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(good_a.read_bytes()[:600])  # a JPEG cut off in its headers
    out = tmp_path / "out"

    result = _offcut("remove", str(good_a), str(broken), str(good_b), "-o", str(out), "--model", "u2netp")

    assert result.returncode == 1
    assert sorted(p.name for p in out.iterdir()) == ["cat-nobg.png", "coffee-nobg.png"]
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1 and errors[0].startswith("[2/3] error: ") and "broken.jpg" in errors[0]
    assert "1 of 3 image(s) failed" in result.stderr
    cat = Image.open(out / "cat-nobg.png")
    assert cat.mode == "RGBA" and cat.size == (451, 300)


def test_all_good_exits_zero_and_writes_next_to_the_input(tmp_path):
    source = tmp_path / "astronaut.png"
    source.write_bytes(photo_path("astronaut").read_bytes())
    result = _offcut("remove", str(source), "--model", "u2netp")
    assert result.returncode == 0, result.stderr
    assert "[1/1]" in result.stderr and (tmp_path / "astronaut-nobg.png").exists()


def test_exif_orientation_is_applied_and_not_carried_over(tmp_path):
    source = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    exif[0x010F] = "SecretCam"  # camera maker: must not reach the output
    Image.open(photo_path("chelsea")).convert("RGB").save(source, exif=exif, quality=92)
    result = _offcut("remove", str(source), "--model", "u2netp", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    output = tmp_path / "rotated-nobg.png"
    cutout = Image.open(output)
    assert cutout.size == (300, 451)  # upright, as a viewer shows it
    assert not cutout.getexif() and b"SecretCam" not in output.read_bytes()


def test_unknown_model_is_a_usage_error(tmp_path):
    result = _offcut("remove", str(photo_path("coffee")), "--model", "nope")
    assert result.returncode == 2 and "invalid choice: 'nope'" in result.stderr


def test_models_lists_the_catalog():
    result = _offcut("models")
    assert result.returncode == 0
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["isnet-fusion", "isnet", "isnet-quint8", "u2netp"]
