"""Constants both languages need: the JavaScript side (extension/shared/limits.js) matches the package."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from offcut import ImageError
from offcut._image import MAX_PIXELS, MIN_SIDE, check_pixel_count

LIMITS_JS = (Path(__file__).resolve().parents[2] / "extension" / "shared" / "limits.js").read_text()


@pytest.mark.parametrize("name, value", [("MAX_PIXELS", MAX_PIXELS), ("MIN_SIDE", MIN_SIDE)])
def test_limits_js_holds_the_package_values(name, value):
    found = re.search(rf"^const {name} = ([\d_]+);", LIMITS_JS, re.MULTILINE)
    assert found, f"limits.js defines no {name}"
    assert int(found.group(1).replace("_", "")) == value


def test_both_sides_word_the_limit_alike():
    # The same sentence as tests/js/image_header.test.mjs expects from pixelCountProblem.
    with pytest.raises(ImageError) as caught:
        check_pixel_count(10001, 10000)
    assert str(caught.value) == \
        "image: 10001×10000 is 100.01 MP (100,010,000 pixels); the limit is 100 MP (100,000,000 pixels)"
