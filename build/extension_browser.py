"""Debian Chromium with the built extension, driven by Playwright for Python.

``make run`` uses it to show the product; the end-to-end tests and the
benchmarks use it to drive it. Nothing here downloads a
browser: ``executable_path`` is Debian's ``/usr/bin/chromium``.
"""

from __future__ import annotations

import atexit
import json
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, Playwright, Worker, sync_playwright

from model_mirror import shared_mirror

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
CHROMIUM = "/usr/bin/chromium"

__all__ = ["ExtensionBrowser", "launch_extension", "shared_playwright", "console_messages", "CONSOLE_LOGS", "DIST",
           "CHROMIUM"]

# Chromium's log file of each browser this process launched, oldest first.
CONSOLE_LOGS: list[Path] = []
# Console lines that say nothing about Offcut (no WebGPU adapter here; WebGL readback notes).
_CONSOLE_NOISE = ("No available adapters.", "GL Driver Message")

_playwright: Playwright | None = None


def shipped_manifest(model: str | None = None, dist: Path = DIST) -> dict:
    """The build's manifest of a catalog row (``dist/models/<id>.json``); None: the recommended row's."""
    models = dist / "models"
    model = model or json.loads((models / "catalog.json").read_text())["recommended"]
    return json.loads((models / f"{model}.json").read_text())


def shared_playwright() -> Playwright:
    """The process's one Playwright driver (the sync API allows one per thread)."""
    global _playwright
    if _playwright is None:
        _playwright = sync_playwright().start()
        atexit.register(_playwright.stop)
    return _playwright


@dataclass
class ExtensionBrowser:
    context: BrowserContext
    extension_id: str
    downloads: Path
    net_log: Path | None  # Chromium's network log, when launched with net_log=True

    @property
    def worker(self) -> Worker:
        """The extension's service worker as running now (it may have been restarted)."""
        prefix = f"chrome-extension://{self.extension_id}/"
        for worker in reversed(self.context.service_workers):
            if worker.url.startswith(prefix):
                return worker
        return self.context.wait_for_event("serviceworker", lambda w: w.url.startswith(prefix), timeout=30_000)

    def url(self, path: str) -> str:
        return f"chrome-extension://{self.extension_id}/{path}"

    def click_menu(self, src_url: str, page_url: str, tab_id: int | None = None,
                   item: str = "offcut-remove-background") -> dict:
        """Call the context-menu handler with the ``info`` Chrome passes; returns its {ok, ...} reply.
        ``item``: the menu item clicked ("offcut-remove-background-with:<model>": that model, this image)."""
        info = {"menuItemId": item, "mediaType": "image", "srcUrl": src_url,
                "pageUrl": page_url, "frameId": 0, "editable": False}
        tab = {"id": tab_id, "url": page_url} if tab_id is not None else None
        return self.worker.evaluate("([info, tab]) => self.offcut.contextMenuClicked(info, tab)", [info, tab])

    def send(self, page: Page, payload: dict) -> dict:
        """The public request, sent with chrome.runtime.sendMessage from an extension page."""
        return page.evaluate(
            "(payload) => chrome.runtime.sendMessage({target: 'background', type: 'remove-background', payload})",
            payload,
        )

    def use_local_mirror(self) -> None:
        """Models download from the local mirror (the setting a user or organisation can change)."""
        # Older builds (bench.builds loads them) set it through model-source {url}, or had no model store.
        self.worker.evaluate("""(baseUrl) => self.offcut.setModelSource ? self.offcut.setModelSource({baseUrl})
          : self.offcut.modelSource?.({url: baseUrl})""", shared_mirror().base)

    def install_best_model(self) -> dict:
        """install-model for the recommended row, as the popup sends it once the user says yes."""
        return self.worker.evaluate("""async () => {
          const {models} = await self.offcut.listModels();
          return self.offcut.installModel({model: models.find((m) => m.recommended).id});
        }""")

    def close_offscreen(self) -> None:
        self.worker.evaluate("() => self.offcut.closeOffscreenDocument()")

    def tab_id(self, page: Page) -> int:
        """The chrome.tabs id of ``page``, looked up from the worker by URL."""
        return self.worker.evaluate(
            "async (url) => (await chrome.tabs.query({})).find((t) => t.url === url).id", page.url
        )

    def wait_for_download(self, filename: str, timeout: float = 60) -> Path:
        target = self.downloads / filename
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if target.is_file() and not list(self.downloads.glob("*.crdownload")):
                return target
            time.sleep(0.05)
        raise AssertionError(f"{filename} never landed in {self.downloads}: {sorted(self.downloads.iterdir())}")


@contextmanager
def launch_extension(playwright: Playwright, profile: Path, *, extra_args: tuple[str, ...] = (),
                     headless: bool = True, dist: Path = DIST, best_model: bool = True, net_log: bool = False):
    """Chromium with ``dist`` loaded, downloads saved under their real names to ``profile/downloads``.

    ``playwright``: the one running ``sync_playwright()`` instance (only one may run per thread).
    ``dist``: the built extension (tests load a damaged copy).
    ``best_model``: download the default model's network as a user who said yes
    would (install-model), from a local mirror of its npm package
    (model_mirror.py: this machine reaches no CDN); False leaves the fresh
    install's fast model, and the download source pointed at the mirror.
    ``net_log``: write Chromium's network log (every request from every
    context: the privacy test reads it) to ``profile/netlog.json``.
    """
    if not (dist / "manifest.json").is_file():
        raise RuntimeError(f"{dist} has no extension: run `make build`")
    downloads = profile / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    user_data = profile / "user-data"
    (user_data / "Default").mkdir(parents=True, exist_ok=True)
    preferences = {"download": {"default_directory": str(downloads), "prompt_for_download": False}}
    (user_data / "Default" / "Preferences").write_text(json.dumps(preferences))
    net_log_path = profile / "netlog.json" if net_log else None
    console_log = profile / "chrome.log"
    CONSOLE_LOGS.append(console_log)
    context = playwright.chromium.launch_persistent_context(
        str(user_data),
        executable_path=CHROMIUM,
        headless=headless,
        accept_downloads=True,
        ignore_default_args=["--disable-extensions"],
        args=[
            f"--disable-extensions-except={dist}",
            f"--load-extension={dist}",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            # Every request the browser makes, from every context (privacy test);
            # the default capture mode: URLs, methods and uploads, not the bytes
            # (those made it hundreds of MB per browser, and a nearly full disk
            # changes how Chromium keeps blobs).
            *([f"--log-net-log={net_log_path}"] if net_log_path else []),
            # The console of every extension context (service worker, offscreen
            # document, engine worker, popup): a failed test shows its tail.
            "--enable-logging",
            "--v=0",
            f"--log-file={console_log}",
            *extra_args,
        ],
    )
    try:
        worker = context.service_workers[0] if context.service_workers else context.wait_for_event(
            "serviceworker", timeout=30_000)
        extension_id = worker.url.split("/")[2]
        _save_downloads_by_name(context)
        browser = ExtensionBrowser(context, extension_id, downloads, net_log_path)
        browser.use_local_mirror()
        if best_model:
            browser.install_best_model()
        yield browser
    finally:
        context.close()


def console_messages(log: Path, last: int = 60) -> list[str]:
    """The last ``last`` console lines of the extension's contexts in a Chromium log file."""
    try:
        lines = log.read_text(errors="replace").splitlines()
    except FileNotFoundError:
        return []
    console = [line for line in lines if ":CONSOLE" in line and not any(n in line for n in _CONSOLE_NOISE)]
    return console[-last:]


def _save_downloads_by_name(context: BrowserContext) -> None:
    # Playwright otherwise saves downloads as GUIDs in a temporary folder.
    page = context.pages[0] if context.pages else context.new_page()
    session = context.new_cdp_session(page)
    session.send("Browser.setDownloadBehavior", {"behavior": "default"})
    session.detach()
