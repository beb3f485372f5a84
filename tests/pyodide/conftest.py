"""The offcut package under Pyodide in real Chromium, without the extension.

A local server hands a plain page the Pyodide core and ONNX Runtime Web from
node_modules, the package zip exactly as the build ships it, and the u2netp
fused graph (small and fast, the same graph builder as ISNet's).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import threading
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "build"))

from extension_browser import CHROMIUM, shared_playwright  # noqa: E402  (build/, like build_extension)

PAGE = """<!doctype html><meta charset="utf-8"><title>offcut under Pyodide</title>
<script type="module">
  import { loadPyodide } from "/pyodide/pyodide.mjs";
  window.boot = (async () => {
    const pyodide = await loadPyodide({ indexURL: "/pyodide/" });
    pyodide.unpackArchive(await (await fetch("/offcut.zip")).arrayBuffer(), "zip", { extractDir: "/offcut" });
    pyodide.runPython("import sys; sys.path.insert(0, '/offcut')");
    return pyodide;
  })();
</script>"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    routes: dict[str, Path] = {}

    def translate_path(self, path):
        path = path.split("?")[0]
        for prefix, folder in self.routes.items():
            if path.startswith(prefix):
                return str(folder / path[len(prefix):])
        return super().translate_path(path)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def pyodide_site(tmp_path_factory):
    """Base URL of the local server: the page, Pyodide, ORT-web, the package zip and the u2netp graph."""
    import build_extension  # the build's own packaging, so the test sees what ships

    from offcut._store import ensure_fused_graph
    from offcut.catalog import get_model

    site = tmp_path_factory.mktemp("pyodide-site")
    build_extension.package_python(site / "offcut.zip")
    (site / "u2netp.onnx").write_bytes(ensure_fused_graph(get_model("u2netp")).read_bytes())
    (site / "index.html").write_text(PAGE)
    for script in ("ort_remote.js", "ort_tensors.js", "ort_worker.js"):  # ORT-web in its own worker, as the extension runs it
        shutil.copy(ROOT / "extension" / "offscreen" / script, site / script)
    routes = {"/pyodide/": ROOT / "node_modules" / "pyodide", "/ort/": ROOT / "node_modules" / "onnxruntime-web" / "dist"}
    handler = functools.partial(type("Handler", (_Handler,), {"routes": routes}), directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def open_pyodide_page(base_url: str, *browser_args: str):
    """(browser, page) with Pyodide booted and the package importable."""
    browser = shared_playwright().chromium.launch(executable_path=CHROMIUM, headless=True, args=list(browser_args))
    page = browser.new_page()
    page.goto(f"{base_url}/index.html")
    page.evaluate("async () => { await window.boot; }")
    return browser, page


@pytest.fixture(scope="session")
def pyodide_page(pyodide_site):
    browser, page = open_pyodide_page(pyodide_site)
    yield page
    browser.close()


def run_python(page, code: str, **values):
    """Run async Python in the page's Pyodide with ``values`` as globals; returns the result (JSON-able)."""
    return page.evaluate(
        """async ([code, values]) => {
            const pyodide = await window.boot;
            const globals = pyodide.toPy(values);
            const result = await pyodide.runPythonAsync(code, { globals });
            return result?.toJs ? result.toJs({ dict_converter: Object.fromEntries }) : result;
        }""",
        [code, values],
    )
