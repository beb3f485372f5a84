"""Offcut: on-device background removal.

The same package runs natively (``offcut.remove``, the ``offcut`` command)
and inside the browser extension under Pyodide. Importing it needs only the
standard library; the native entry points import onnxruntime, numpy and
Pillow when called.
"""

from ._api import export_cutout, remove, remove_to_cutout
from ._backend import Backend, GraphOutputs
from ._export import Crop, ExportOptions
from ._exporter import ExportedPicture
from ._image import RgbaImage
from ._integrity import verify_model_bytes, verify_model_file
from ._pipeline import Cutout, remove_background
from ._png_check import PngReport, check_png
from ._png_write import write_png
from .catalog import CATALOG, DEFAULT_MODEL_ID, ModelSpec, get_model
from .errors import (
    BackendError,
    ExportOptionsError,
    ImageError,
    ModelIntegrityError,
    OffcutError,
    OutOfMemoryError,
    PngCheckError,
    UnknownModelError,
)

__version__ = "0.1.0"

__all__ = [
    "remove",
    "remove_to_cutout",
    "export_cutout",
    "ExportOptions",
    "Crop",
    "ExportedPicture",
    "remove_background",
    "Backend",
    "GraphOutputs",
    "RgbaImage",
    "Cutout",
    "write_png",
    "check_png",
    "PngReport",
    "verify_model_bytes",
    "verify_model_file",
    "CATALOG",
    "DEFAULT_MODEL_ID",
    "ModelSpec",
    "get_model",
    "OffcutError",
    "ModelIntegrityError",
    "UnknownModelError",
    "ImageError",
    "PngCheckError",
    "BackendError",
    "ExportOptionsError",
    "OutOfMemoryError",
]
