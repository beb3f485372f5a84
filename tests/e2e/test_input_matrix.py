"""The input matrix, first half: odd but real images are cut out correctly,
odd file names saved under safe ones. The other half — files and URLs Offcut
cannot use, each refused with a message naming the problem and followed by a
good request — is test_bad_inputs.py; further rows live beside the code they
exercise: test_context_menu.py (hotlink-protected images, page blob: images),
test_cancel.py, test_worker_restart.py, test_engine_recovery.py."""

from __future__ import annotations

import pytest

from ._site import data_url
from .conftest import read_png

pytestmark = pytest.mark.browser

# (path on the test site, the cutout's (width, height))
CUT_OUT = [
    ("progressive.jpg", (300, 200)),
    ("grayscale.jpg", (300, 200)),
    ("cmyk.jpg", (300, 200)),
    ("gray16.png", (300, 200)),
    ("palette-transparent.png", (300, 200)),
    ("animated.gif", (300, 200)),  # its first frame
    ("animated.webp", (300, 200)),
    ("lossless-alpha.webp", (300, 200)),
    ("photo.avif", (300, 200)),
    ("photo.bmp", (300, 200)),
    ("icon.ico", (64, 64)),
    ("exif-rotated.jpg", (200, 300)),  # stored 300×200, shown turned: cut out as shown
    ("panorama.jpg", (3000, 80)),
    ("eight.png", (8, 8)),  # the smallest side Offcut takes
    ("redirect/3/coffee-small.png", (300, 200)),  # three redirects, then the image
]



@pytest.mark.parametrize("path, size", CUT_OUT, ids=[c[0] for c in CUT_OUT])
def test_odd_image_is_cut_out(extension, extension_page, site, path, size):
    reply = extension.send(extension_page, {"url": site.url(path)})
    assert reply["ok"], reply
    assert (reply["result"]["width"], reply["result"]["height"]) == size
    saved = extension.wait_for_download(reply["result"]["filename"])
    try:
        cutout = read_png(saved)
    finally:
        saved.unlink()
    assert cutout.shape == (size[1], size[0], 4)
    if path == "palette-transparent.png":  # its transparent rows stay transparent (the source's alpha is a ceiling)
        assert cutout[:20, :, 3].max() == 0 and cutout[20:, :, 3].max() > 0
    if path == "lossless-alpha.webp":
        assert cutout[:, :20, 3].max() == 0


ODD_NAMES = [  # a dropped file's own name → the saved file's (extension/shared/filename.js)
    ("con.x.png", "con_.x-nobg.png"),  # a Windows device name before the first dot
    ("हिन्दी.jpg", "हिन्दी-nobg.png"),  # combining marks kept
    ("a/b\\c:d*.png", "a_b_c_d-nobg.png"),  # path and reserved characters
]


@pytest.mark.parametrize("name, saved_as", ODD_NAMES, ids=[n[1] for n in ODD_NAMES])
def test_an_odd_file_name_is_saved_under_a_safe_one(extension, extension_page, site, name, saved_as):
    reply = extension.send(extension_page, {"url": data_url(site.files["coffee-small.png"]), "name": name})
    assert reply["ok"], reply
    assert reply["result"]["filename"] == saved_as
    saved = extension.wait_for_download(saved_as)
    assert read_png(saved).shape == (200, 300, 4)
    saved.unlink()
