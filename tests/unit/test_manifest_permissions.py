"""The manifest asks for what the README explains, nothing more: each
permission is named there with its reason (least privilege, issue 10)."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_permission_asked_for_is_explained_in_the_readme_and_no_other():
    manifest = json.loads((ROOT / "manifest.json").read_text())
    asked = set(manifest["permissions"])
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("**Permissions and why:**"):readme.index("**Privacy, and how it is tested:**")]
    explained = set(re.findall(r"^- `([A-Za-z]+)` —", section, flags=re.MULTILINE))
    assert asked == explained, f"asked for but not explained: {asked - explained}; explained but not asked: {explained - asked}"
    assert manifest["host_permissions"] == ["<all_urls>"] and "Host permission `<all_urls>`" in section
