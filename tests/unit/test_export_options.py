"""Export options: the spellings the CLI and the extension use, and what each refuses."""

from __future__ import annotations

import pytest

from offcut import Crop, ExportOptions, ExportOptionsError
from offcut._export import SETTINGS, SPEC, Setting


def test_the_defaults_are_the_plain_cutout_and_the_specs_defaults():
    assert ExportOptions().is_plain
    assert ExportOptions.from_json({}) == ExportOptions()
    assert ExportOptions.from_json(SPEC["defaults"]).is_plain
    assert not ExportOptions(format="webp").is_plain


def test_the_extensions_shape_is_read_field_by_field():
    options = ExportOptions.from_json({"background": "#1e6fd9", "crop": {"margin": 5, "unit": "%"},
                                       "format": "jpeg", "maxSize": 1024, "onlyMask": False})
    assert options == ExportOptions("#1e6fd9", Crop(5.0, "%"), "jpeg", 1024, False)
    assert options.extension == "jpg" and options.mime == "image/jpeg" and options.channels == 3


@pytest.mark.parametrize("value, words", [
    ({"format": "gif"}, "format must be one of"),
    ({"background": "red"}, "background must be"),
    ({"background": "#FFFFFF"}, "background must be"),  # the extension sends lowercase, as the spec says
    ({"format": "jpeg"}, "JPEG cannot be transparent"),
    ({"crop": {"margin": -1, "unit": "px"}}, "crop margin must be"),
    ({"crop": {"margin": 101, "unit": "%"}}, "crop margin must be"),
    ({"crop": {"margin": 5, "unit": "cm"}}, "unit must be"),
    ({"crop": {"margin": "5", "unit": "px"}}, "crop must be null or"),
    ({"maxSize": 8}, "max size must be"),
    ({"maxSize": 100.5}, "max size must be"),
    ({"maxSize": True}, "max size must be"),
    ({"onlyMask": "yes"}, "onlyMask must be"),
    ({"colour": "#ffffff"}, "unknown export option"),
    ([], "must be an object"),
])
def test_options_that_make_no_picture_are_refused_with_their_field_named(value, words):
    with pytest.raises(ExportOptionsError, match=words) as caught:
        ExportOptions.from_json(value)
    assert caught.value.code == "bad-request"


def test_a_mask_may_be_a_jpeg_without_a_background():
    assert ExportOptions.from_json({"format": "jpeg", "onlyMask": True}).channels == 1


@pytest.mark.parametrize("kwargs, expected", [
    ({"background": "#FFF"}, ExportOptions(background="#ffffff")),
    ({"background": " Blur "}, ExportOptions(background="blur")),
    ({"crop": "5%"}, ExportOptions(crop=Crop(5.0, "%"))),
    ({"crop": "20px"}, ExportOptions(crop=Crop(20.0, "px"))),
    ({"crop": "0"}, ExportOptions(crop=Crop(0.0, "px"))),
    ({"format": "JPG", "background": "#000"}, ExportOptions(background="#000000", format="jpeg")),
])
def test_the_command_lines_spellings(kwargs, expected):
    assert ExportOptions.from_cli(**kwargs) == expected


def test_a_crop_that_is_not_a_margin_is_refused():
    with pytest.raises(ExportOptionsError, match="crop must be a margin"):
        ExportOptions.from_cli(crop="five")


def test_the_graphs_settings_say_what_the_options_do():
    values = ExportOptions("#ff8000", Crop(10, "%"), "png", 512).settings()
    assert len(values) == SETTINGS
    assert values[Setting.CROP] == 1 and values[Setting.MARGIN_FRACTION] == pytest.approx(0.1)
    assert values[Setting.MARGIN_PX] == 0 and values[Setting.MAX_SIDE] == 512
    assert (values[Setting.RED], values[Setting.GREEN], values[Setting.BLUE]) == (255, 128, 0)
    assert values[Setting.OPAQUE] == 1 and values[Setting.BLUR] == 0 and values[Setting.MASK] == 0
    blur = ExportOptions(background="blur").settings()
    assert blur[Setting.BLUR] == 1 and blur[Setting.OPAQUE] == 1
    mask = ExportOptions(background="blur", only_mask=True)
    assert mask.settings()[Setting.MASK] == 1 and mask.settings()[Setting.BLUR] == 0 and not mask.needs_photo
