"""Fixtures for the end-to-end tests of the built extension (``make build`` first)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from extension_browser import CONSOLE_LOGS, DIST, ExtensionBrowser, console_messages, launch_extension, shared_playwright
from ._site import Site, serve_site


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test shows the extension's console (what the service
    worker, the engine and the popup said) from each browser its test used."""
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    used = [log for log in CONSOLE_LOGS if log.is_file() and log.stat().st_mtime >= call.start]
    for log in used or CONSOLE_LOGS[-1:]:
        lines = console_messages(log)
        if lines:
            report.sections.append((f"extension console ({log.parent.name})", "\n".join(lines)))


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    return serve_site(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def playwright():
    return shared_playwright()


@pytest.fixture(scope="session")
def extension(playwright, tmp_path_factory) -> ExtensionBrowser:
    """One browser for the session: Pyodide boots once and stays warm, as for a user."""
    if not (DIST / "manifest.json").is_file():
        pytest.fail("dist/ is missing: run `make build` (make test does)")
    with launch_extension(playwright, tmp_path_factory.mktemp("browser")) as browser:
        yield browser


@pytest.fixture(scope="session")
def demo_page(extension, site):
    page = extension.context.new_page()
    page.goto(f"{site.page_origin.base}/index.html?other={site.image_origin.base}")
    page.wait_for_function("document.getElementById('blob').src.startsWith('blob:')")
    return page


@pytest.fixture(scope="session")
def extension_page(extension):
    """An extension page (the popup, as a tab) to send requests from."""
    page = extension.context.new_page()
    page.goto(extension.url("popup.html"))
    return page


@pytest.fixture(scope="session")
def native_alpha():
    """The native CLI's alpha for a source image, same model (cached per path)."""
    import offcut

    cache: dict[Path, np.ndarray] = {}

    def alpha(path: Path) -> np.ndarray:
        if path not in cache:
            # In a thread: Playwright's sync API keeps an event loop running in this one.
            with ThreadPoolExecutor(1) as pool:
                cache[path] = pool.submit(offcut.remove, path, output="rgba").result()[..., 3]
        return cache[path]

    return alpha


def read_png(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        assert image.format == "PNG" and image.mode == "RGBA", (image.format, image.mode)
        image.load()
        return np.array(image)
