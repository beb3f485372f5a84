"""A local mirror of the model packages, laid out as a CDN that serves npm
package files does (``/npm/<package>@<version>/<path>``), serving the exact
bytes `npm ci` fetched from the registry (this machine reaches no CDN). The
tests, benchmarks and ``make run`` point the extension's download source at
it; it can also misbehave the ways real servers do."""

from __future__ import annotations

import http.server
import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("@imgly/background-removal-data",)


@dataclass
class Mirror:
    port: int = 0
    requests: list[str] = field(default_factory=list)  # paths, in order
    # How the next requests are answered: "ok", "corrupt" (one byte of the named
    # part flipped), "drop" (the named part's connection closed halfway, once),
    # "truncate" (the named part's first half, sent as if it were all of it),
    # "missing" / "error" (HTTP 404 / 500 for the named part), "slow" (every
    # part sent at ~2 MB/s).
    mode: str = "ok"
    part: str = ""  # the part (its file name) "corrupt" and "drop" apply to
    server: http.server.ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/npm/"

    def parts_fetched(self) -> list[str]:
        return [path.rsplit("/", 1)[-1] for path in self.requests]


_shared: Mirror | None = None


def shared_mirror() -> Mirror:
    """The process's one well-behaved mirror (tests that make one misbehave start their own)."""
    global _shared
    if _shared is None:
        _shared = serve_mirror()
    return _shared


def serve_mirror() -> Mirror:
    mirror = Mirror()
    files = {}
    for package in PACKAGES:
        folder = ROOT / "node_modules" / package
        version = json.loads((folder / "package.json").read_text())["version"]
        files[f"/npm/{package}@{version}/"] = folder

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            mirror.requests.append(self.path)
            prefix = next((p for p in files if self.path.startswith(p)), None)
            path = files[prefix] / self.path[len(prefix):] if prefix else None
            if path is None or ".." in self.path or not path.is_file():
                self.send_error(404)
                return
            data = bytearray(path.read_bytes())
            name = path.name
            named = name == mirror.part
            if named and mirror.mode in ("missing", "error"):
                self.send_error(404 if mirror.mode == "missing" else 500)
                return
            if mirror.mode == "corrupt" and named:
                data[len(data) // 2] ^= 0x01
            if mirror.mode == "truncate" and named:
                data = data[: len(data) // 2]
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            if mirror.mode == "drop" and name == mirror.part:
                mirror.mode = "ok"  # once
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            step = 1 << 16
            try:
                for start in range(0, len(data), step):
                    self.wfile.write(data[start:start + step])
                    if mirror.mode == "slow":
                        time.sleep(step / 2_000_000)
            except (ConnectionResetError, BrokenPipeError):
                pass  # the extension gave up (a cancel): nothing to answer

        def log_message(self, *args):
            pass

    mirror.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    mirror.port = mirror.server.server_address[1]
    threading.Thread(target=mirror.server.serve_forever, daemon=True).start()
    return mirror
