"""Decoded pixels as they enter the pipeline, validated once, here."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ImageError

__all__ = ["RgbaImage", "MIN_SIDE", "MAX_PIXELS", "check_pixel_count"]

#: Smaller than this, a "cutout" is meaningless (a 1×1 favicon, a tracking pixel).
MIN_SIDE = 8
#: 100 MP, in every host: the default graph's intermediates for a 100 MP photo
#: fit a browser tab's 4 GiB WebAssembly memory (tests/e2e/test_context_menu.py
#: runs one). Checked from the file's header natively, before decoding.
MAX_PIXELS = 100_000_000


def check_pixel_count(width: int, height: int, what: str = "image") -> None:
    """Offcut's one size limit, for decoded pixels and (natively) for a file's header alike."""
    pixels = width * height
    if pixels > MAX_PIXELS:
        # Rounded down, a size just over the limit would read "is 100 MP; the limit is 100 MP".
        shown = f"{pixels / 1e6:.0f}" if pixels >= MAX_PIXELS * 1.01 else f"{pixels / 1e6:.2f}"
        raise ImageError(f"{what}: {width}×{height} is {shown} MP ({pixels:,} pixels); "
                         f"the limit is {MAX_PIXELS / 1e6:.0f} MP ({MAX_PIXELS:,} pixels)")


@dataclass(frozen=True)
class RgbaImage:
    """8-bit straight-alpha RGBA pixels, row-major, ``width * height * 4`` bytes."""

    width: int
    height: int
    pixels: bytes | bytearray | memoryview

    def __post_init__(self) -> None:
        if self.width < MIN_SIDE or self.height < MIN_SIDE:
            raise ImageError(
                f"image is {self.width}×{self.height} pixels; Offcut needs at least {MIN_SIDE}×{MIN_SIDE}"
            )
        check_pixel_count(self.width, self.height)
        expected = self.width * self.height * 4
        if len(self.pixels) != expected:
            raise ImageError(
                f"pixel buffer holds {len(self.pixels):,} bytes; "
                f"{self.width}×{self.height} RGBA needs {expected:,}"
            )

    @property
    def megapixels(self) -> float:
        return self.width * self.height / 1e6
