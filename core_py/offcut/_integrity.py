"""Fail-closed verification of model bytes against the catalog.

Runs before any inference session is created, on every host (native and
Pyodide), so a truncated download or a tampered file never reaches ONNX Runtime.
"""

from __future__ import annotations

import hashlib
import os

from .catalog import ModelSpec
from .errors import ModelIntegrityError

__all__ = ["verify_model_bytes", "verify_model_file"]

_READ_CHUNK = 1 << 20


def verify_model_bytes(spec: ModelSpec, data: bytes | bytearray | memoryview) -> None:
    """Raise :class:`ModelIntegrityError` unless ``data`` is exactly the catalog's bytes."""
    size = len(data)
    if size != spec.byte_size:
        raise ModelIntegrityError(
            f"model {spec.id!r}: expected {spec.byte_size:,} bytes, got {size:,} "
            "(truncated or wrong file); fetch it again"
        )
    _check_digest(spec, hashlib.sha256(data).hexdigest(), "bytes")


def verify_model_file(spec: ModelSpec, path: str | os.PathLike) -> None:
    """Like :func:`verify_model_bytes`, streaming the file instead of loading it."""
    try:
        size = os.path.getsize(path)
    except OSError as err:
        raise ModelIntegrityError(
            f"model {spec.id!r}: file {os.fspath(path)!r} is missing ({err.strerror}); run `make models`"
        ) from None
    if size != spec.byte_size:
        raise ModelIntegrityError(
            f"model {spec.id!r}: {os.fspath(path)!r} has {size:,} bytes, expected {spec.byte_size:,} "
            "(truncated or wrong file); fetch it again"
        )
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_READ_CHUNK):
            digest.update(chunk)
    _check_digest(spec, digest.hexdigest(), repr(os.fspath(path)))


def _check_digest(spec: ModelSpec, actual: str, what: str) -> None:
    if actual != spec.sha256:
        raise ModelIntegrityError(
            f"model {spec.id!r}: SHA-256 of {what} is {actual[:16]}…, expected {spec.sha256[:16]}… "
            "(corrupted or tampered); refusing to load it"
        )
