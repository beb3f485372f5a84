"""A local test site: two HTTP origins on 127.0.0.1 serving sample photos.

The page is on one origin and one photo on the other (cross-origin to the
page). Every request either server receives is recorded (method, path, body
length) for the privacy test. Photos come from scikit-image's bundled data
(coffee.png, CC0); the 12 MP one is an upscale
made at test time, never a file in the repository.
"""

from __future__ import annotations

import base64
import functools
import http.server
import io
import shutil
import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import skimage.data
from PIL import Image

from ._odd_images import make_odd_images

SAMPLES = Path(skimage.data.__file__).parent
LARGE_SIZE = (4240, 2830)  # 12.0 MP, the photo's own 3:2 aspect

__all__ = ["Site", "serve_site", "make_samples", "SAMPLES", "LARGE_SIZE"]


@dataclass
class Origin:
    root: Path
    port: int = 0
    requests: list[tuple[str, str, int]] = field(default_factory=list)
    server: http.server.ThreadingHTTPServer | None = None
    latest_served: int = 0  # /latest.png: odd requests get one photo, even ones another
    hotlink_referrers: list = field(default_factory=list)  # the Referer of each /hotlinked.jpg request

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Site:
    page_origin: Origin
    image_origin: Origin
    files: dict[str, Path]

    def url(self, name: str, *, cross_origin: bool = False) -> str:
        origin = self.image_origin if cross_origin else self.page_origin
        return f"{origin.base}/{name}"

    @property
    def requests(self) -> list[tuple[str, str, int]]:
        return self.page_origin.requests + self.image_origin.requests


def make_samples(folder: Path) -> dict[str, Path]:
    """Write the test images; return name → path."""
    folder.mkdir(parents=True, exist_ok=True)
    coffee = Image.open(SAMPLES / "coffee.png").convert("RGB")
    files = {}

    def save(name: str, image: Image.Image, **options) -> None:
        files[name] = folder / name
        image.save(files[name], **options)

    save("coffee.jpg", coffee, quality=92)
    save("coffee-12mp.jpg", coffee.resize(LARGE_SIZE, Image.Resampling.LANCZOS), quality=90)
    save("coffee.png", coffee)
    # Public domain (NASA). Served as the page's blob: image; it is also the
    # photo on which fp16 layers once made browser and native alpha disagree.
    files["astronaut.png"] = folder / "astronaut.png"
    shutil.copy(SAMPLES / "astronaut.png", files["astronaut.png"])
    # Alpha 0 around the border over real colours: the output must keep that RGB.
    rgba = np.array(coffee.convert("RGBA"))
    rgba[:12, :, 3] = 0
    save("coffee-alpha.png", Image.fromarray(rgba, "RGBA"))
    save("tiny.png", Image.new("RGB", (1, 1), (200, 30, 30)))
    jpeg = files["coffee.jpg"].read_bytes()
    files["corrupt.jpg"] = folder / "corrupt.jpg"  # a JPEG header, then noise
    files["corrupt.jpg"].write_bytes(jpeg[:600] + bytes(np.random.default_rng(7).integers(0, 256, 4000, dtype=np.uint8)))
    files["not-an-image.png"] = folder / "not-an-image.png"  # lies about its type
    files["not-an-image.png"].write_text("<!doctype html><title>Not an image</title><p>Hello")
    files["empty.png"] = folder / "empty.png"
    files["huge-header.png"] = folder / "huge-header.png"  # claims 60000×60000 (a decompression bomb's header)
    ihdr = b"IHDR" + struct.pack(">IIBBBBB", 60000, 60000, 8, 6, 0, 0, 0)
    files["huge-header.png"].write_bytes(b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + ihdr
                                         + struct.pack(">I", zlib.crc32(ihdr)) + bytes(64))
    files["empty.png"].write_bytes(b"")
    save("coffee-small.png", coffee.resize((300, 200), Image.Resampling.LANCZOS))
    files.update(make_odd_images(folder, coffee))
    (folder / "index.html").write_text(_PAGE)
    return files


def data_url(path: Path, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


_PAGE = """<!doctype html>
<meta charset="utf-8"><title>Offcut test page</title>
<h1>Sample photos</h1>
<img id="same-origin" src="coffee.jpg" alt="coffee">
<img id="large" src="coffee-12mp.jpg" alt="coffee, 12 MP" width="400">
<img id="cross-origin" alt="coffee from another origin">
<img id="blob" alt="astronaut from a blob URL">
<script>
  const params = new URLSearchParams(location.search);
  document.getElementById("cross-origin").src = params.get("other") + "/coffee.jpg";
  fetch("astronaut.png").then((r) => r.blob()).then((blob) => {
    document.getElementById("blob").src = URL.createObjectURL(blob);
  });
</script>
"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, origin: Origin, **kwargs):
        self.origin = origin
        super().__init__(*args, directory=str(origin.root), **kwargs)

    def _record(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.origin.requests.append((self.command, self.path, length))

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self._record()
        if self.path.startswith("/status/"):  # /status/500: that HTTP error
            self.send_error(int(self.path.split("/")[2]))
            return
        if self.path.startswith("/redirect/"):  # /redirect/3/coffee.jpg: three 302s, then the file
            _, _, hops, name = self.path.split("/", 3)
            self.send_response(302)
            self.send_header("Location", f"/redirect/{int(hops) - 1}/{name}" if int(hops) > 1 else f"/{name}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/dropped.jpg":  # promises a whole JPEG, sends its first bytes, hangs up
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", "50000")
            self.end_headers()
            self.wfile.write((self.origin.root / "coffee.jpg").read_bytes()[:1000])
            self.wfile.flush()
            self.close_connection = True
            return
        if self.path in ("/stalled.jpg", "/trickle.jpg"):  # a server that stops, one that is slow but moving
            body = (self.origin.root / "coffee.jpg").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            pieces = [body[:1000], body[1000:]] if self.path == "/stalled.jpg" else \
                [body[i:i + len(body) // 10 + 1] for i in range(0, len(body), len(body) // 10 + 1)]
            for piece in pieces:
                self.wfile.write(piece)
                self.wfile.flush()
                time.sleep(6.0 if self.path == "/stalled.jpg" else 0.5)
            return
        if self.path.startswith("/hotlinked.jpg"):  # served only to this site's own pages (a Referer check)
            self.origin.hotlink_referrers.append(self.headers.get("Referer"))
            if not (self.headers.get("Referer") or "").startswith(self.origin.base + "/"):
                self.send_error(403, "Hotlinking not allowed")
                return
            self.path = "/coffee.jpg"
        if self.path == "/latest.png":  # a webcam's latest frame: replaced at the same URL, no-cache
            self.origin.latest_served += 1
            name = "coffee.png" if self.origin.latest_served % 2 else "coffee-small.png"
            body = (self.origin.root / name).read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def do_POST(self):  # noqa: N802
        self._record()
        self.send_error(405)

    def log_message(self, *args):
        pass


def serve_site(folder: Path) -> Site:
    files = make_samples(folder)
    origins = [Origin(folder), Origin(folder)]
    for origin in origins:
        handler = functools.partial(_Handler, origin=origin)
        origin.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        origin.port = origin.server.server_address[1]
        threading.Thread(target=origin.server.serve_forever, daemon=True).start()
    return Site(origins[0], origins[1], files)


def png_bytes(rgba: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buffer, format="PNG")
    return buffer.getvalue()
