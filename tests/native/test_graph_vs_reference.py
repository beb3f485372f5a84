"""The fused graph, run by native onnxruntime, against the numpy/Pillow reference."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from PIL import Image

from offcut import CATALOG, RgbaImage, get_model
from offcut._native import OnnxRuntimeBackend, rgba_array
from offcut._store import model_path
from offcut.catalog import fused_companions
from offcut.graph import build_pipeline_graph

from ..conftest import PHOTO_NAMES, photo_path
from ._reference import ReferencePipeline

pytestmark = pytest.mark.native


def _photos() -> dict[str, np.ndarray]:
    photos = {name: np.asarray(Image.open(photo_path(name)).convert("RGBA")) for name in PHOTO_NAMES}
    # Larger than ISNet's 1024 input, so the antialiased shrink is exercised too.
    big = Image.open(photo_path("coffee")).convert("RGBA").resize((1800, 1200), Image.Resampling.LANCZOS)
    photos["coffee-1800"] = np.asarray(big)
    # A source with its own transparency: a transparent band must stay transparent.
    holed = photos["chelsea"].copy()
    holed[100:140, :, 3] = 0
    holed[140:160, :, 3] = 128
    photos["chelsea-holed"] = holed
    return photos


PHOTOS = _photos()


@pytest.fixture(scope="module", params=sorted(CATALOG))
def model_pair(request):
    spec = get_model(request.param)
    return OnnxRuntimeBackend(spec), ReferencePipeline(spec)


@pytest.mark.parametrize("photo", sorted(PHOTOS))
def test_graph_matches_reference(model_pair, photo, artifacts_dir):
    backend, reference = model_pair
    rgba = PHOTOS[photo]
    height, width = rgba.shape[:2]
    outputs = backend.run_graph_sync(RgbaImage(width, height, rgba.tobytes()))
    graph = rgba_array(outputs.png_rows, width, height)
    np.testing.assert_array_equal(np.frombuffer(outputs.alpha, np.uint8).reshape(height, width), graph[..., 3])
    expected = reference.cutout(rgba)

    # RGB untouched where alpha is 0 (the design's rule) or 255; only a row that
    # refines edges may rewrite the colour of soft pixels.
    hard = (graph[..., 3] == 0) | (graph[..., 3] == 255)
    np.testing.assert_array_equal(graph[..., :3][hard], rgba[..., :3][hard])
    soft = ~hard
    if not backend.spec.decontaminates:
        np.testing.assert_array_equal(graph[..., :3], rgba[..., :3])
    elif soft.any():  # the foreground colours the reference estimates, where both call the pixel soft
        both_soft = soft & (expected[..., 3] > 0) & (expected[..., 3] < 255)
        colour_error = np.abs(graph[..., :3].astype(int) - expected[..., :3].astype(int))[both_soft]
        # An int8 network rounds each activation to a level, so the reference's float64
        # shrink (3e-6 from the graph's float32 one on astronaut) flips a few levels: the
        # network's mask moves by 0.002 on average (0.13 at most), the colours estimated
        # from the soft alpha a little more than a float network's would.
        tolerance = 1.5 if backend.spec.int8_calibration else 1.0
        assert colour_error.mean() <= tolerance, f"mean |rgb - reference| on soft pixels = {colour_error.mean():.3f}"
        assert (graph[..., :3][soft] != rgba[..., :3][soft]).any()  # decontamination did something
    difference = np.abs(graph[..., 3].astype(int) - expected[..., 3].astype(int))
    if difference.mean() > 1.0:
        Image.fromarray(np.hstack([graph[..., 3], expected[..., 3]])).save(
            artifacts_dir / f"graph-vs-reference-{backend.spec.id}-{photo}.png"
        )
    assert difference.mean() <= 1.0, f"mean |alpha - reference| = {difference.mean():.3f}/255"
    assert np.all(graph[..., 3] <= rgba[..., 3]), "the source's own transparency is a ceiling"
    # The result is a real cutout, not a constant: some background, some subject.
    assert (graph[..., 3] < 16).mean() > 0.05 and (graph[..., 3] > 240).mean() > 0.05


@pytest.mark.parametrize("model_id", ["u2netp", "isnet-fusion"])
def test_bands_do_not_change_pixels(model_id):
    """The full-resolution half runs in bands of rows (graph/_bands.py): any band size, the same bytes.

    Bands of 7 rows put dozens of band seams, and a padded last band, across
    every step that reads the grid (upsampling, foreground colours) and
    across the PNG filter's row above.
    """
    spec = get_model(model_id)
    rgba = PHOTOS["chelsea-holed"]
    height, width = rgba.shape[:2]
    network = onnx.load(model_path(spec))
    companions = [(c, onnx.load(model_path(c))) for c in fused_companions(spec)]
    outputs = {}
    for band_pixels in (7 * width, 10**12):  # 7 rows a band (the last one padded); the whole photo as one band
        graph = build_pipeline_graph(spec, network, companions, band_pixels=band_pixels).SerializeToString()
        session = ort.InferenceSession(graph, providers=["CPUExecutionProvider"])
        outputs[band_pixels] = session.run(["png_rows", "alpha"], {"image": rgba})
    assert height % 7 != 0, "the photo should leave a partial last band"
    (rows, alpha), (whole_rows, whole_alpha) = outputs.values()
    assert rows.shape == (height, 1 + 4 * width) and alpha.shape == (height, width)
    np.testing.assert_array_equal(rows, whole_rows)
    np.testing.assert_array_equal(alpha, whole_alpha)
