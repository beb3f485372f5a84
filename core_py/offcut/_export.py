"""Export options: what the user asks a finished cutout to become, and how the
export graph is told (``offcut.graph._export_graph``).

Pure standard library: the Pyodide host validates the extension's options
with the same code the CLI uses. The constants both languages need (formats,
defaults, presets, limits) live in ``export_spec.json``, which the extension
bundles too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import IntEnum
from importlib import resources

from .errors import ExportOptionsError

__all__ = ["Crop", "ExportOptions", "Setting", "SETTINGS", "SPEC", "FORMATS"]

SPEC = json.loads(resources.files(__package__).joinpath("export_spec.json").read_text(encoding="utf-8"))
FORMATS: dict[str, dict] = SPEC["formats"]
_COLOUR = re.compile(r"#[0-9a-f]{6}")
_SHORT_COLOUR = re.compile(r"#[0-9a-f]{3}")


class Setting(IntEnum):
    """Positions in the export graph's ``settings`` vector (floats)."""

    CROP = 0  # 1: keep the subject's box (+ margin); 0: the whole picture
    MARGIN_PX = 1  # pixels added on every side of the box
    MARGIN_FRACTION = 2  # plus this share of the box's longer side
    MAX_SIDE = 3  # the longer side at most this many pixels; 0: no limit (never enlarges)
    OPAQUE = 4  # 1: composite over the backdrop; 0: keep the alpha
    RED = 5  # the backdrop colour, 0..255
    GREEN = 6
    BLUE = 7
    BLUR = 8  # 1: the backdrop is the photo blurred instead of the colour
    MASK = 9  # 1: the alpha as an opaque grey picture


SETTINGS = len(Setting)


@dataclass(frozen=True)
class Crop:
    margin: float
    unit: str  # "px" or "%"


@dataclass(frozen=True)
class ExportOptions:
    """``background``: "transparent", "blur" (the photo, blurred) or a colour "#rrggbb";
    ``crop``: None (the whole picture) or the subject's box plus a margin;
    ``max_size``: None or the longest side in pixels (a larger picture is shrunk);
    ``format``: "png", "webp" or "jpeg"; ``only_mask``: the alpha alone, as grey."""

    background: str = "transparent"
    crop: Crop | None = None
    format: str = "png"
    max_size: int | None = None
    only_mask: bool = False

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ExportOptionsError(f"format must be one of {', '.join(FORMATS)}, not {self.format!r}")
        if self.background not in ("transparent", "blur") and not _COLOUR.fullmatch(self.background):
            raise ExportOptionsError(
                f"background must be 'transparent', 'blur' or a colour '#rrggbb', not {self.background!r}")
        if self.background == "transparent" and not self.only_mask and not FORMATS[self.format]["alpha"]:
            raise ExportOptionsError(f"{self.format.upper()} cannot be transparent: choose a background colour "
                                     "or 'blur'")
        if self.crop is not None:
            limit = SPEC["marginLimits"].get(self.crop.unit)
            if limit is None:
                raise ExportOptionsError(f"crop margin unit must be 'px' or '%', not {self.crop.unit!r}")
            if not 0 <= self.crop.margin <= limit:
                raise ExportOptionsError(f"crop margin must be 0–{limit} {self.crop.unit}, not {self.crop.margin}")
        if self.max_size is not None:
            low, high = SPEC["maxSizeLimits"]["min"], SPEC["maxSizeLimits"]["max"]
            whole = isinstance(self.max_size, int) and not isinstance(self.max_size, bool)
            if not whole or not low <= self.max_size <= high:
                raise ExportOptionsError(
                    f"max size must be a whole number of pixels {low}–{high}, not {self.max_size!r}")

    @classmethod
    def from_json(cls, value) -> ExportOptions:
        """The extension's shape (``shared/export_options.js``): {background, crop: {margin, unit} | null,
        format, maxSize, onlyMask}; missing keys take the defaults, unknown keys are refused."""
        if not isinstance(value, dict):
            raise ExportOptionsError(f"export options must be an object, not {type(value).__name__}")
        known = {"background", "crop", "format", "maxSize", "onlyMask"}
        if unknown := sorted(set(value) - known):
            raise ExportOptionsError(f"unknown export option(s): {', '.join(unknown)}")
        options = {**SPEC["defaults"], **value}
        crop = options["crop"]
        if crop is not None:
            if not isinstance(crop, dict) or set(crop) != {"margin", "unit"} or not _is_number(crop["margin"]):
                raise ExportOptionsError(f"crop must be null or {{margin, unit}}, not {crop!r}")
            crop = Crop(float(crop["margin"]), crop["unit"])
        if not isinstance(options["onlyMask"], bool):
            raise ExportOptionsError(f"onlyMask must be true or false, not {options['onlyMask']!r}")
        return cls(str(options["background"]), crop, str(options["format"]), options["maxSize"], options["onlyMask"])

    @classmethod
    def from_cli(cls, *, background: str = "transparent", crop: str | None = None, format: str = "png",
                 max_size: int | None = None, only_mask: bool = False) -> ExportOptions:
        """The command line's spellings: colours as #rgb or #rrggbb (any case), crop as "5%", "20px" or "20"."""
        background = background.strip().lower()
        if _SHORT_COLOUR.fullmatch(background):
            background = "#" + "".join(c * 2 for c in background[1:])
        return cls(background, _parse_crop(crop), format.lower().replace("jpg", "jpeg"), max_size, only_mask)

    @property
    def is_plain(self) -> bool:
        """Exactly the cutout itself: transparent PNG, whole, full size."""
        return self == ExportOptions()

    @property
    def opaque(self) -> bool:
        return self.only_mask or self.background != "transparent"

    @property
    def channels(self) -> int:
        """Channels of a PNG export: grey for a mask, RGB over a backdrop, else RGBA."""
        return 1 if self.only_mask else 3 if self.opaque else 4

    def settings(self) -> list[float]:
        values = [0.0] * SETTINGS
        if self.crop is not None:
            values[Setting.CROP] = 1.0
            if self.crop.unit == "px":
                values[Setting.MARGIN_PX] = self.crop.margin
            else:
                values[Setting.MARGIN_FRACTION] = self.crop.margin / 100
        values[Setting.MAX_SIDE] = float(self.max_size or 0)
        values[Setting.OPAQUE] = 1.0 if self.opaque else 0.0
        if _COLOUR.fullmatch(self.background):
            for channel, start in zip((Setting.RED, Setting.GREEN, Setting.BLUE), (1, 3, 5), strict=True):
                values[channel] = float(int(self.background[start : start + 2], 16))
        values[Setting.BLUR] = 1.0 if self.background == "blur" and not self.only_mask else 0.0
        values[Setting.MASK] = 1.0 if self.only_mask else 0.0
        return values

    @property
    def needs_photo(self) -> bool:
        return self.background == "blur" and not self.only_mask

    @property
    def mime(self) -> str:
        return FORMATS[self.format]["mime"]

    @property
    def extension(self) -> str:
        return FORMATS[self.format]["extension"]


def _parse_crop(text: str | None) -> Crop | None:
    if text is None:
        return None
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(px|%)?\s*", text)
    if not match:
        raise ExportOptionsError(f"crop must be a margin such as '5%', '20px' or '0', not {text!r}")
    return Crop(float(match[1]), match[2] or "px")


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value
