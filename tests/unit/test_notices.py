"""dist/'s licence files: Offcut's own, and a notice with the full licence text of everything else it ships."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from offcut import DEFAULT_MODEL_ID, get_model
from offcut.catalog import fused_companions

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "build"))

from notices import NOTICES, write_notices  # noqa: E402  (build/, like build_extension)


def test_every_shipped_component_is_named_with_its_version_and_full_licence(tmp_path):
    default = get_model(DEFAULT_MODEL_ID)
    models = [default, *fused_companions(default)]
    write_notices(tmp_path, models, ROOT / "node_modules")
    assert (tmp_path / "LICENSE").read_text() == (ROOT / "LICENSE").read_text()
    notices = (tmp_path / NOTICES).read_text()
    for package in ("pyodide", "onnxruntime-web", "idb", "@jsquash/webp", "@jsquash/jpeg", "wasm-feature-detect"):
        version = json.loads((ROOT / "node_modules" / package / "package.json").read_text())["version"]
        assert f"version: {version}" in notices, package
    for spec in models:
        assert f"{spec.source.package}=={spec.source.version}" in notices and spec.licence in notices
    # The texts themselves, each once.
    for first_words in ("Mozilla Public License Version 2.0", "Apache License", "MIT License",
                        "PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2", "ISC License"):
        assert notices.count(first_words) >= 1, first_words
    assert notices.count("=" * 78 + "\nApache-2.0\n") == 1
    # The export codecs' own licences, as their packages ship them (libwebp's BSD, libjpeg's IJG terms).
    assert "Copyright (c) 2010, Google Inc." in notices
    assert "Independent JPEG Group" in notices
