"""The extension's messages (extension/_locales): every language has every key
with the same placeholders, and every key the code, pages and manifest use
exists (chrome.i18n would show nothing for a missing one)."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "extension" / "_locales"


def _messages(language: str) -> dict:
    return json.loads((LOCALES / language / "messages.json").read_text())


def _used_keys() -> set[str]:
    keys = set(re.findall(r"__MSG_(\w+)__", (ROOT / "manifest.json").read_text()))
    for script in (ROOT / "extension").rglob("*.js"):
        keys |= set(re.findall(r"\bt\(\"(\w+)\"", script.read_text()))
        keys |= set(re.findall(r"\"((?:stage|status)[A-Z]\w*)\"", script.read_text()))  # key tables (stages, model statuses)
        keys |= set(re.findall(r"\"(error[A-Z]\w*)\"", script.read_text()))  # a failure's words (protocol.js)
    for page in (ROOT / "extension").rglob("*.html"):
        text = page.read_text()
        keys |= set(re.findall(r'data-i18n="(\w+)"', text))
        for attrs in re.findall(r'data-i18n-attrs="([^"]+)"', text):
            keys |= {pair.split(":")[1].strip() for pair in attrs.split(",")}
    return keys


def test_every_language_has_every_key_with_the_same_placeholders():
    english = _messages("en")
    languages = sorted(path.name for path in LOCALES.iterdir())
    assert languages == ["de", "en"]
    for language in languages:
        messages = _messages(language)
        assert messages.keys() == english.keys(), language
        assert messages["wordsLanguage"]["message"] == language  # picks the catalog's titles in the same language
        for key, entry in messages.items():
            assert entry["message"].strip(), (language, key)
            assert entry.get("placeholders", {}).keys() == english[key].get("placeholders", {}).keys(), (language, key)
            named = {name.lower() for name in re.findall(r"\$(\w+)\$", entry["message"])}
            assert named == set(english[key].get("placeholders", {})), (language, key)


def test_every_key_used_exists_and_every_key_is_used():
    used, defined = _used_keys(), set(_messages("en"))
    assert used - defined == set(), "used but not defined"
    assert defined - used == set(), "defined but never used"
