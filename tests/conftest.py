"""Shared fixtures: real photos and the test layers' common helpers.

Test photos come from scikit-image's bundled data (installed as a test
dependency), all free to use: astronaut.png (NASA, public domain),
chelsea.png (CC0, Stefan van der Walt), coffee.png (CC0, Rachel Michetti).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = ROOT.parent / "shared" / "eval"

# Tests use the checkout's model cache (filled by `make models`) unless told otherwise.
os.environ.setdefault("OFFCUT_HOME", str(ROOT / ".cache"))

PHOTO_NAMES = ("astronaut", "chelsea", "coffee")


def photo_path(name: str) -> Path:
    import skimage.data

    return Path(skimage.data.__file__).parent / f"{name}.png"


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where failing tests leave images for a person to look at."""
    path = ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
