"""Every error Offcut raises, in one hierarchy.

Callers catch :class:`OffcutError` for "this input or this set-up cannot be
processed" and show ``str(err)``: each message names what failed and what to
do about it. Anything else escaping the package is a bug.

- :class:`ModelIntegrityError`: a model file is missing, truncated or does not
  hash to the catalog's SHA-256. Raised before any inference session exists.
- :class:`UnknownModelError`: a model id that is not in the catalog.
- :class:`ImageError`: the input is not a usable image (cannot be decoded,
  too small, too large, wrong buffer length).
- :class:`PngCheckError`: the PNG we wrote does not decode back to the pixels
  we meant to write (the post-encode integrity check failed).
- :class:`ExportOptionsError`: export options that make no picture.
- :class:`BackendError`: the inference runtime failed to run the graph.
"""

__all__ = [
    "OffcutError",
    "ModelIntegrityError",
    "UnknownModelError",
    "ImageError",
    "PngCheckError",
    "ExportOptionsError",
    "BackendError",
    "OutOfMemoryError",
]


class OffcutError(Exception):
    """Base class: an input or environment Offcut cannot process."""

    #: Stable machine-readable code, carried to the extension UI as ``error.code``.
    code = "offcut-error"


class ModelIntegrityError(OffcutError):
    code = "model-integrity"


class UnknownModelError(OffcutError):
    code = "unknown-model"


class ImageError(OffcutError):
    code = "bad-image"


class PngCheckError(OffcutError):
    code = "png-check-failed"


class ExportOptionsError(OffcutError):
    """Export options that make no picture (an unknown format, a transparent JPEG, a bad margin)."""

    code = "bad-request"


class BackendError(OffcutError):
    code = "backend-failed"


class OutOfMemoryError(BackendError):
    """The runtime could not allocate the graph's intermediates for this image."""

    code = "out-of-memory"
