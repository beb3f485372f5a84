"""Every catalog row is said in each of the extension's languages: a row added
without its translations, or a translation left for a row that is gone, fails
here instead of showing English in a German options page."""

from __future__ import annotations

from pathlib import Path

from offcut.catalog import CATALOG, TRANSLATIONS

LOCALES = Path(__file__).resolve().parents[2] / "extension" / "_locales"


def test_each_language_of_the_extension_has_every_row_and_no_other():
    languages = {path.name for path in LOCALES.iterdir() if path.is_dir()} - {"en"}
    assert set(TRANSLATIONS) == languages
    for language, rows in TRANSLATIONS.items():
        assert set(rows) == set(CATALOG), language
        for model_id, (title, description) in rows.items():
            assert title.strip() and description.strip(), (language, model_id)
            assert title != CATALOG[model_id].display_name or title == "ISNet", (language, model_id)

