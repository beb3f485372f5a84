"""The Pyodide host: the one module that knows it runs inside the browser.

The offscreen document boots Pyodide, imports this module and calls
:func:`choose_provider`, :func:`open_backend` and :func:`process`. Inference
runs through :class:`OrtWebBackend`, ONNX Runtime Web behind the same
one-method interface as the native backend. Large buffers cross the JS↔Python
boundary as typed arrays / buffers, never as lists or JSON.
"""

from __future__ import annotations

import bisect
import json
import time

from js import Array, BigInt, BigInt64Array, Float32Array, Object, Uint8Array  # type: ignore[import-not-found]
from pyodide.ffi import JsProxy, to_js  # type: ignore[import-not-found]

from ._backend import GraphOutputs
from ._export import ExportOptions
from ._exporter import ExportOutputs, export_picture
from ._image import RgbaImage
from ._pipeline import remove_background
from ._png_check import cutout_rows
from .errors import OffcutError

__all__ = ["OrtWebBackend", "OrtWebExporter", "JsBytes", "JsPieces", "adopt_backend", "choose_provider",
           "kept_in_javascript", "open_backend", "open_exporter", "process", "export"]

_backend: OrtWebBackend | None = None
_exporter: OrtWebExporter | None = None


class OrtWebBackend:
    """The fused graph on an ONNX Runtime Web session (WASM or WebGPU)."""

    def __init__(self, ort, session, provider: str, threads: int) -> None:
        self._ort = ort
        self._session = session
        self.provider = provider
        self.threads = threads
        self.name = f"onnxruntime-web-{provider}"

    async def run_graph(self, image: RgbaImage) -> GraphOutputs:
        # Pixels decoded by JS arrive as a Uint8Array proxy and go straight back
        # to ORT without a copy through Python's heap.
        pixels = image.pixels if isinstance(image.pixels, JsProxy) else to_js(memoryview(image.pixels))
        dims = to_js([image.height, image.width, 4])
        feeds = Object.new()
        feeds.image = self._ort.Tensor.new("uint8", pixels, dims)
        try:
            results = await self._session.run(feeds)
        finally:
            feeds.image.dispose()
        # The outputs stay in JavaScript memory (CPU tensors' data is an
        # ordinary typed array that outlives dispose()); the writer and the
        # checker read them slice by slice.
        return GraphOutputs(JsBytes(results.png_rows.data), JsBytes(results.alpha.data))


class OrtWebExporter:
    """The export graph on its own ONNX Runtime Web session: always WASM (a
    few cheap passes over the picture, and ``Resize`` with ``antialias``,
    which ORT's WebGPU kernels do not implement)."""

    def __init__(self, ort, session) -> None:
        self._ort = ort
        self._session = session
        self.name = "onnxruntime-web-wasm"

    async def run_export(self, png_rows, width: int, height: int, photo: RgbaImage, settings, channels: int,
                         output: str) -> ExportOutputs:
        photo_pixels = photo.pixels if isinstance(photo.pixels, JsProxy) else to_js(memoryview(photo.pixels))
        feeds = Object.new()
        feeds.png_rows = self._ort.Tensor.new("uint8", png_rows, to_js([height, 1 + 4 * width]))
        feeds.photo = self._ort.Tensor.new("uint8", photo_pixels, to_js([photo.height, photo.width, 4]))
        feeds.settings = self._ort.Tensor.new("float32", Float32Array.new(to_js(settings)), to_js([len(settings)]))
        feeds.channels = self._ort.Tensor.new("int64", BigInt64Array.of(BigInt(channels)), to_js([1]))
        name = "png_rows_out" if output == "png_rows" else "pixels"
        try:
            results = await self._session.run(feeds, to_js([name, "box"]))
        finally:
            for tensor in (feeds.png_rows, feeds.photo, feeds.settings, feeds.channels):
                tensor.dispose()
        result = getattr(results, name)
        rows, columns = int(result.dims[0]), int(result.dims[1])
        if output == "png_rows":
            columns = (columns - 1) // channels
        box = tuple(int(v) for v in results.box.data)
        return ExportOutputs(columns, rows, box, **{output: JsBytes(result.data)})


class JsBytes:
    """A read-only byte buffer over a JavaScript Uint8Array, without copying it whole.

    Supports what the PNG writer and checker use: ``len``, one byte by index,
    and slices (each copied into Python as ``bytes``). Python's heap under
    Pyodide never shrinks, so a 100 MP image's 500 MB of outputs must not
    pass through it at once.
    """

    def __init__(self, array) -> None:
        self._array = array
        self._length = int(array.length)

    @property
    def array(self):
        """The JavaScript Uint8Array itself (to hand back to JavaScript without a copy)."""
        return self._array

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, key):
        if isinstance(key, slice):
            start, stop, step = key.indices(self._length)
            if step != 1:
                raise ValueError("JsBytes slices must be contiguous")
            return self._array.subarray(start, max(start, stop)).to_bytes()
        if not -self._length <= key < self._length:
            raise IndexError(key)
        return int(self._array[key % self._length])


class JsPieces:
    """A read-only byte buffer over a file kept in JavaScript memory as its pieces
    (a JS Array of Uint8Arrays, in order), read in slices like :class:`JsBytes`."""

    def __init__(self, parts) -> None:
        self.parts = parts  # the JS Array, handed back to JavaScript as it is
        self._parts = list(parts)
        self._starts, total = [], 0
        for part in self._parts:
            self._starts.append(total)
            total += int(part.length)
        self._length = total

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, key):
        if not isinstance(key, slice):
            raise TypeError("JsPieces is read in slices")
        start, stop, step = key.indices(self._length)
        if step != 1:
            raise ValueError("JsPieces slices must be contiguous")
        taken = []
        index = max(0, bisect.bisect_right(self._starts, start) - 1)
        while start < stop:
            first = self._starts[index]
            end = min(stop, first + int(self._parts[index].length))
            taken.append(self._parts[index].subarray(start - first, end - first).to_bytes())
            start, index = end, index + 1
        return b"".join(taken)


def kept_in_javascript(pieces) -> JsPieces:
    """A file's pieces (``write_png``'s ``collect``: whole chunks, ~1 MB each) copied
    into JavaScript memory one by one, and kept there as pieces.

    Python's heap never shrinks: a 12 MP cutout's PNG joined there took it
    ~50 MB higher for the rest of the engine's life (the pieces, then the
    whole; ~400 MB at 100 MP), and was then copied out to JavaScript anyway.
    The engine makes the result's Blob from the pieces: no whole copy of the
    file is made until then.
    """
    parts = Array.new()
    for piece in pieces:
        part = Uint8Array.new(len(piece))
        part.assign(piece)
        parts.push(part)
    return JsPieces(parts)


def choose_provider(capabilities, *, allow_fallback_adapter: bool = False) -> str:
    """"webgpu" only for a vetted, real adapter with every feature the graph needs; else "wasm".

    ``allow_fallback_adapter`` is for tests only: headless Chromium's one
    adapter is SwiftShader's software fallback, far slower than WASM, which
    the product always refuses; the tests still need to run the WebGPU path.
    """
    caps = capabilities.to_py() if isinstance(capabilities, JsProxy) else dict(capabilities)
    gpu = caps.get("webgpu") or {}
    missing = set(caps.get("requiredFeatures") or ()) - set(gpu.get("features") or ())
    vetted = allow_fallback_adapter or not gpu.get("isFallbackAdapter")
    if gpu.get("available") and vetted and not missing:
        return "webgpu"
    return "wasm"


async def open_backend(ort, graph, provider: str, threads: int, *, log_placement: bool = False) -> str:
    """Create the one session of this document (the graph is already verified by the caller).

    ``log_placement``: ONNX Runtime's verbose log, which lists the nodes each
    execution provider got (WebGPU nodes that fall back to the CPU show there).
    """
    # ORT-web optimises every graph fully by default (graphOptimizationLevel "all"),
    # as the engine's own early WASM session does (boot.js): same options, same session.
    options = {"executionProviders": [provider]}
    if log_placement:
        options.update(logSeverityLevel=0, logVerbosityLevel=0)
    session = await ort.InferenceSession.create(graph, to_js(options, dict_converter=Object.fromEntries))
    return adopt_backend(ort, session, provider, threads)


def adopt_backend(ort, session, provider: str, threads: int) -> str:
    """Take a session the host opened itself as this document's one (the engine opens
    the WASM session beside Python's start-up where WASM is the only choice)."""
    global _backend
    _backend = OrtWebBackend(ort, session, provider, int(threads))
    return _backend.name


async def process(pixels, width: int, height: int):
    """Run the shared pipeline on decoded RGBA pixels (a Uint8Array).

    Returns a JS object ``{png, summary}`` (``png``: the file's pieces, a JS Array of
    Uint8Arrays) or ``{error: {code, message}}``;
    an :class:`OffcutError` is data for the UI, not an exception.
    """
    started = time.perf_counter()
    try:
        if _backend is None:
            raise RuntimeError("open_backend() has not been called")
        image = RgbaImage(int(width), int(height), pixels)
        cutout = await remove_background(image, _backend, png_collect=kept_in_javascript)
    except OffcutError as err:
        return _to_js({"error": {"code": err.code, "message": str(err)}})
    summary = cutout.summary()
    summary["threads"] = _backend.threads
    png = cutout.png.parts
    total = time.perf_counter() - started
    summary["timings"]["python"] = round(total - sum(cutout.timings.values()), 4)
    result = _to_js({"summary": summary})
    result.png = png
    return result


async def open_exporter(ort, graph) -> None:
    """Open the export graph's session, once per engine (at its first export)."""
    global _exporter
    options = to_js({"executionProviders": ["wasm"]}, dict_converter=Object.fromEntries)
    _exporter = OrtWebExporter(ort, await ort.InferenceSession.create(graph, options))


async def export(png, photo, photo_width: int, photo_height: int, options_json: str):
    """A cutout PNG this package made (a Uint8Array) → the picture ``options_json`` asks for.

    ``photo``: the original's RGBA pixels (a Uint8Array) or None; only a
    blurred background needs it. Returns ``{png (the file's pieces), width, height, box, timings}``
    for PNG, ``{pixels, ...}`` (RGBA, for the page's WebP / JPEG encoder)
    otherwise, or ``{error: {code, message}}``.
    """
    try:
        if _exporter is None:
            raise RuntimeError("open_exporter() has not been called")
        options = ExportOptions.from_json(json.loads(options_json))
        width, height, bands = cutout_rows(JsBytes(png))
        rows = Uint8Array.new(height * (1 + 4 * width))
        offset = 0
        for band in bands:  # into JavaScript memory: Python's heap never shrinks
            rows.subarray(offset, offset + len(band)).assign(band)
            offset += len(band)
        image = None if photo is None else RgbaImage(int(photo_width), int(photo_height), photo)
        picture = await export_picture(rows, width, height, options, _exporter, image,
                                       png_collect=kept_in_javascript)
    except OffcutError as err:
        return _to_js({"error": {"code": err.code, "message": str(err)}})
    summary = {"width": picture.width, "height": picture.height, "box": list(picture.box),
               "timings": {k: round(v, 4) for k, v in picture.timings.items()}}
    result = _to_js(summary)
    if picture.data is not None:
        result.png = picture.data.parts
    else:
        result.pixels = picture.pixels.array
    return result


def _to_js(value):
    return to_js(value, dict_converter=Object.fromEntries)
