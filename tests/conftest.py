"""Shared fixtures: real photos and the test layers' common helpers.

Test photos come from scikit-image's bundled data (installed as a test
dependency), all free to use: astronaut.png (NASA, public domain),
chelsea.png (CC0, Stefan van der Walt), coffee.png (CC0, Rachel Michetti).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _find_shared_eval() -> Path:
    """``$OFFCUT_EVAL_DIR``, else ``../shared/eval`` beside this checkout or,
    for a fresh clone made elsewhere (as CI does), beside the clone's origin."""
    candidates = [ROOT.parent / "shared" / "eval"]
    if os.environ.get("OFFCUT_EVAL_DIR"):
        candidates.insert(0, Path(os.environ["OFFCUT_EVAL_DIR"]))
    origin = subprocess.run(
        ["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"], capture_output=True, text=True
    ).stdout.strip()
    if origin and Path(origin).is_dir():
        candidates.append(Path(origin).resolve().parent / "shared" / "eval")
    return next((path for path in candidates if (path / "manifest.json").exists()), candidates[0])


SHARED_EVAL = _find_shared_eval()

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
