"""The ways a model download goes wrong, each with a clear answer and nothing
broken: no network at first use (the fast model goes on working), a part the
server does not have (404) or fails on (500), a part cut short, two
requests for the same model at once (one download), a disk too full to keep
it (on a real small file system); and the model removed while an image is
being cut out with it (that image finishes, the next one uses the fast
model)."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest

from extension_browser import launch_extension

from model_mirror import serve_mirror
from ._site import data_url
from .test_model_download import ask, default_network, network_records, wait_for

pytestmark = pytest.mark.browser

BOTH_INSTALLS = """(model) => Promise.all([1, 2].map(() =>
  chrome.runtime.sendMessage({target: 'background', type: 'install-model', payload: {model}})))"""


# A 12 MP job (seconds of graph work), its stages and its reply recorded on the page.
START_JOB = """(url) => { window.jobReply = null; window.jobStages = [];
  chrome.runtime.onMessage.addListener((msg) => {
    if (msg?.target === 'broadcast' && msg.payload?.jobId === 'removal-job') window.jobStages.push(msg.payload.stage);
  });
  chrome.runtime.sendMessage({target: 'background', type: 'remove-background', payload: {url, jobId: 'removal-job'}})
    .then((reply) => { window.jobReply = reply; }); }"""


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_download_faults_say_what_happened_and_leave_nothing_broken(playwright, tmp_path, site):
    network, model, parts = default_network()
    mirror = serve_mirror()
    with launch_extension(playwright, tmp_path / "profile", best_model=False) as browser:
        page = browser.context.new_page()
        page.goto(browser.url("popup.html"))

        def stored() -> set:
            return network_records(browser, network)

        def install() -> dict:
            return ask(page, "install-model", {"model": model})

        # Offline at first use: the download fails with its reason, and images still get cut out.
        assert ask(page, "set-model-source", {"baseUrl": f"http://127.0.0.1:{_closed_port()}/npm/"})["ok"]
        offline = install()
        assert offline["ok"] is False and offline["error"]["code"] == "fetch-failed", offline
        assert offline["error"]["words"]["key"] == "errorModelDownload"
        assert "downloading again resumes" in offline["error"]["message"]
        assert stored() == set()
        cutout = browser.send(page, {"url": data_url(site.files["coffee-alpha.png"])})
        assert cutout["ok"] and cutout["result"]["model"] == "u2netp", cutout
        browser.wait_for_download(cutout["result"]["filename"]).unlink()

        # A part the server does not have, or fails on: its status named, the parts before it kept.
        assert ask(page, "set-model-source", {"baseUrl": mirror.base})["ok"]
        for mode, status, index in (("missing", "HTTP 404", 2), ("error", "HTTP 500", 4)):
            mirror.mode, mirror.part = mode, parts[index]
            failed = install()
            assert failed["ok"] is False and failed["error"]["code"] == "fetch-failed", failed
            assert failed["error"]["words"] == {"key": "errorModelDownload", "params": [status]}, failed
            assert stored() == set(parts[:index])

        # A part cut short (the server says it is all there is): refused, and nothing is kept.
        mirror.mode, mirror.part = "truncate", parts[6]
        short = install()
        assert short["ok"] is False and short["error"]["code"] == "model-integrity", short
        assert f"sent {network['source']['parts'][6]['bytes'] // 2} bytes" in short["error"]["message"]
        assert stored() == set()

        # Two requests at once (the popup and the options page, say): one download, both answered.
        mirror.mode = "ok"
        mirror.requests.clear()
        replies = page.evaluate(BOTH_INSTALLS, model)
        assert all(reply["ok"] for reply in replies), replies
        assert replies[0]["result"] == replies[1]["result"] == {"model": model, "bytes": network["bytes"],
                                                                 "status": "stored"}
        fetched = Counter(mirror.parts_fetched())
        assert set(fetched) == set(parts) and set(fetched.values()) == {1}, fetched
        assert stored() == {network["sha256"]}

        # Removed while an image is being cut out with it: that image finishes with the
        # model its engine opened; the next one is cut out with the fast model.
        using = f"""async () => {{ const reply = await chrome.runtime.sendMessage(
          {{target: 'background', type: 'get-status', payload: {{}}}}); return reply.ok && reply.result.model === '{model}'; }}"""
        assert wait_for(page, using, 60)
        page.evaluate(START_JOB, site.url("coffee-12mp.jpg"))
        wait_for(page, "() => window.jobStages.includes('pipeline')", 60)
        removed = ask(page, "remove-model", {"model": model})
        assert removed["ok"] and removed["result"]["freedBytes"] >= network["bytes"], removed
        finished = wait_for(page, "() => window.jobReply", 120)
        assert finished["ok"] and finished["result"]["model"] == model, finished
        browser.wait_for_download(finished["result"]["filename"]).unlink()
        after = browser.send(page, {"url": data_url(site.files["coffee-alpha.png"])})
        assert after["ok"] and after["result"]["model"] == "u2netp", after
        browser.wait_for_download(after["result"]["filename"]).unlink()
        assert stored() == set()


@contextmanager
def small_disk(folder: Path, size: str):
    """A file system of `size` (tmpfs) at `folder`: the browser's profile on it runs out of disk for real.
    Mounting needs root (CAP_SYS_ADMIN); without it the test is skipped, saying why."""
    folder.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "offcut-small-disk", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small disk here ({mounted.stderr.strip()}): a full disk needs one")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "--lazy", str(folder)], check=False)


def test_a_full_disk_is_said_keeps_nothing_and_the_fast_model_goes_on(playwright, tmp_path, site):
    """60 MB of disk for an 88 MB model: Chromium fails the write (a DataError, not a quota error); the
    download says storage-full with the room the whole model needs, keeps none of its parts (the disk is
    the user's again), and images are still cut out with the fast model."""
    network, model, _ = default_network()
    with small_disk(tmp_path / "disk", "60m") as disk, \
            launch_extension(playwright, disk / "profile", best_model=False) as browser:
        page = browser.context.new_page()
        page.goto(browser.url("popup.html"))
        full = ask(page, "install-model", {"model": model})
        assert full["ok"] is False and full["error"]["code"] == "storage-full", full
        size = f"{network['bytes'] / 1e6:.1f}"
        assert full["error"]["words"] == {"key": "errorStorageFull", "params": [size]}, full
        assert f"({size} MB)" in full["error"]["message"]
        assert network_records(browser, network) == set()
        assert ask(page, "list-models")["result"]["storedBytes"] == 0
        free = shutil.disk_usage(disk).free
        assert free > 40e6, f"the kept parts still fill the disk: {free / 1e6:.0f} MB free"
        reply = browser.send(page, {"url": data_url(site.files["coffee-alpha.png"])})
        assert reply["ok"] and reply["result"]["model"] == "u2netp", reply
