"""The shared pipeline driven through the one-method backend interface."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from offcut import BackendError, GraphOutputs, ImageError, OutOfMemoryError, RgbaImage, remove_background

from ._fixtures import FakeBackend, every_value_rgba, run_coroutine


def _image(width=40, height=30) -> RgbaImage:
    return RgbaImage(width, height, every_value_rgba(width, height).tobytes())


def test_pipeline_writes_a_verified_png_of_the_backends_cutout():
    backend = FakeBackend()
    image = _image()
    cutout = run_coroutine(remove_background(image, backend))
    decoded = np.asarray(Image.open(io.BytesIO(cutout.png)))
    assert decoded.shape == (30, 40, 4)
    np.testing.assert_array_equal(decoded[..., :3], np.frombuffer(image.pixels, np.uint8).reshape(30, 40, 4)[..., :3])
    np.testing.assert_array_equal(decoded[0, :, 3], np.linspace(0, 255, 40).round())
    assert backend.calls == 1
    assert set(cutout.timings) == {"graph", "encode", "check"}
    summary = cutout.summary()
    assert summary["backend"] == "fake" and summary["width"] == 40 and summary["bytes"] == len(cutout.png)
    assert 0 < summary["softFraction"] < 1


class _BrokenBackend:
    name = "broken-runtime"

    def __init__(self, outputs=None):
        self.outputs = outputs

    async def run_graph(self, image):
        if self.outputs is None:
            raise RuntimeError("shape mismatch in node Concat_12")
        return self.outputs


class _ExhaustedBackend:
    name = "small-runtime"

    def __init__(self, failure: Exception):
        self.failure = failure

    async def run_graph(self, image):
        raise self.failure


def test_runtime_failure_becomes_a_named_backend_error():
    with pytest.raises(BackendError, match="broken-runtime failed to run the pipeline graph: shape mismatch") as caught:
        run_coroutine(remove_background(_image(), _BrokenBackend()))
    assert not isinstance(caught.value, OutOfMemoryError)


@pytest.mark.parametrize("failure", [
    RuntimeError("failed to call OrtRun(). ERROR_CODE: 6, ERROR_MESSAGE: std::bad_alloc"),  # ORT-web, measured
    MemoryError(),
])
def test_running_out_of_memory_says_so_with_the_image_size(failure):
    with pytest.raises(OutOfMemoryError, match=r"not enough memory to process a 40×30 image \(0 MP\) with small-runtime"):
        run_coroutine(remove_background(_image(), _ExhaustedBackend(failure)))


def test_wrong_sized_outputs_are_caught_before_encoding():
    backend = _BrokenBackend(GraphOutputs(b"\0" * 10, b"\0" * 10))
    with pytest.raises(BackendError, match="returned 10/10 bytes"):
        run_coroutine(remove_background(_image(), backend))


@pytest.mark.parametrize(
    "width, height, length, message",
    [
        (1, 1, 4, "1×1 pixels; Offcut needs at least 8×8"),
        (20_000, 10_000, 0, "200 MP"),
        (10_001, 10_000, 0, r"is 100.01 MP \(100,010,000 pixels\); the limit is 100 MP \(100,000,000 pixels\)"),
        (10, 10, 399, "holds 399 bytes"),
    ],
)
def test_unusable_images_are_rejected_at_the_boundary(width, height, length, message):
    with pytest.raises(ImageError, match=message):
        RgbaImage(width, height, bytes(length))
