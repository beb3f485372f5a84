"""The native API and host: offcut.remove and the model store's fail-closed loading."""

from __future__ import annotations

import io
import shutil

import numpy as np
import onnxruntime
import pytest
from PIL import Image

import offcut
from offcut import ImageError, ModelIntegrityError, get_model
from offcut._native import OnnxRuntimeBackend
from offcut._store import model_path

from ..conftest import photo_path
from ..unit._fixtures import run_coroutine

pytestmark = pytest.mark.native


@pytest.fixture
def isolated_home(tmp_path, monkeypatch):
    """An OFFCUT_HOME holding a copy of the u2netp model, to damage at will."""
    spec = get_model("u2netp")
    source = model_path(spec)
    monkeypatch.setenv("OFFCUT_HOME", str(tmp_path))
    (tmp_path / "models").mkdir()
    shutil.copy(source, model_path(spec))
    return model_path(spec)


@pytest.fixture
def sessions_created(monkeypatch):
    created = []
    real = onnxruntime.InferenceSession

    def counting(*args, **kwargs):
        created.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(onnxruntime, "InferenceSession", counting)
    return created


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda data: data[: len(data) // 2], "expected 4,574,861"),
        (lambda data: data[:1000] + bytes([data[1000] ^ 1]) + data[1001:], "corrupted or tampered"),
    ],
    ids=["truncated", "one-bit-flipped"],
)
def test_damaged_model_is_refused_before_any_session(isolated_home, sessions_created, damage, message):
    isolated_home.write_bytes(damage(isolated_home.read_bytes()))
    with pytest.raises(ModelIntegrityError, match=message):
        OnnxRuntimeBackend(get_model("u2netp"))
    assert sessions_created == []
    graphs = isolated_home.parent.parent / "graphs"
    assert not graphs.exists() or not list(graphs.glob("*.onnx"))


def test_intact_model_builds_and_caches_the_fused_graph(isolated_home, sessions_created):
    OnnxRuntimeBackend(get_model("u2netp"))
    graphs = list((isolated_home.parent.parent / "graphs").glob("u2netp-*.onnx"))
    assert len(graphs) == 1 and sessions_created == [str(graphs[0])]


@pytest.mark.parametrize("damage", [
    lambda graph, record: graph.write_bytes(graph.read_bytes()[:-100]),
    lambda graph, record: graph.write_bytes(graph.read_bytes()[:5000] + b"x" + graph.read_bytes()[5001:]),
    lambda graph, record: record.unlink(),
], ids=["truncated", "byte-changed", "record-missing"])
def test_a_damaged_cached_graph_is_rebuilt_not_run(isolated_home, damage, capsys):
    spec = get_model("u2netp")
    OnnxRuntimeBackend(spec)
    graph = next((isolated_home.parent.parent / "graphs").glob("u2netp-*.onnx"))
    intact = graph.read_bytes()
    damage(graph, graph.with_name(graph.name + ".sha256"))
    OnnxRuntimeBackend(spec)
    assert graph.read_bytes() == intact, "the graph was not rebuilt"
    assert "rebuilding it" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["path", "bytes", "pil"])
def test_remove_accepts_paths_bytes_and_pil_images(kind):
    path = photo_path("coffee")
    source = {"path": path, "bytes": path.read_bytes(), "pil": Image.open(path)}[kind]
    png = offcut.remove(source, model="u2netp")
    decoded = Image.open(io.BytesIO(png))
    assert decoded.mode == "RGBA" and decoded.size == (600, 400)


def test_remove_returns_rgba_arrays_matching_the_png():
    rgba = offcut.remove(photo_path("coffee"), model="u2netp", output="rgba")
    png = offcut.remove(photo_path("coffee"), model="u2netp")
    assert rgba.shape == (400, 600, 4) and rgba.dtype == np.uint8
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(png))), rgba)


@pytest.mark.parametrize(
    "data, message",
    [(b"not an image at all", "not an image Offcut can read"), (b"", "not an image")],
)
def test_bad_bytes_get_a_clear_error(data, message):
    with pytest.raises(ImageError, match=message):
        offcut.remove(data, model="u2netp")


def test_tiny_image_is_refused_clearly():
    buffer = io.BytesIO()
    Image.new("RGB", (1, 1)).save(buffer, "PNG")
    with pytest.raises(ImageError, match="1×1 pixels"):
        offcut.remove(buffer.getvalue(), model="u2netp")


def test_remove_works_inside_a_running_event_loop():
    """As in Jupyter or an async server: no nested asyncio.run."""
    async def handler():
        return offcut.remove(photo_path("coffee"), model="u2netp", output="rgba")

    assert run_coroutine(handler()).shape == (400, 600, 4)


def test_default_pipeline_with_no_soft_pixels_returns_the_source():
    """A fully transparent source: alpha stays 0, colour under it is kept, and the
    decontamination step gathers zero pixels without failing."""
    rgba = np.zeros((48, 64, 4), np.uint8)
    rgba[..., :3] = (40, 160, 90)
    np.testing.assert_array_equal(offcut.remove(Image.fromarray(rgba, "RGBA"), output="rgba"), rgba)


def _png_header_claiming(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims ``width``×``height``, cut off inside its first row's data."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    cut_off = zlib.compress(bytes(1 + 4 * width))[:-6]
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", cut_off)


def test_offcuts_own_pixel_limit_is_checked_from_the_header():
    # Over 100 MP: refused from the header, before a byte of pixels is decoded.
    with pytest.raises(ImageError, match=r"image bytes: 12000×9000 is 108 MP \(108,000,000 pixels\); the limit is 100 MP"):
        offcut.remove(_png_header_claiming(12_000, 9_000))
    # 90–100 MP is Offcut's to accept (Pillow alone would call it a decompression bomb):
    # this one gets as far as decoding, where the missing pixel data is the error.
    with pytest.raises(ImageError, match="corrupt or truncated"):
        offcut.remove(_png_header_claiming(10_000, 9_500))
