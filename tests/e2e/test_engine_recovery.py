"""An engine that cannot start is not kept: the next request starts a new one."""

from __future__ import annotations

import os
import shutil

import pytest

from extension_browser import DIST, launch_extension

from ._site import data_url

pytestmark = pytest.mark.browser


def test_a_failed_boot_is_reported_and_the_next_request_starts_afresh(playwright, tmp_path, site):
    dist = tmp_path / "dist"
    shutil.copytree(DIST, dist, copy_function=_link_or_copy)
    graph = dist / "models" / "isnet-fusion.skeleton"  # the default's graph is assembled from it at the first boot
    intact = graph.read_bytes()
    graph.unlink()  # a new file, not a write through the link into the real dist/
    graph.write_bytes(intact[:1000] + bytes([intact[1000] ^ 1]) + intact[1001:])
    request = {"url": data_url(site.files["coffee-alpha.png"])}
    with launch_extension(playwright, tmp_path / "profile", dist=dist) as browser:
        page = browser.context.new_page()
        page.goto(browser.url("popup.html"))
        failed = browser.send(page, request)
        assert failed["ok"] is False and failed["error"]["code"] == "engine-failed", failed
        assert "(model-integrity)" in failed["error"]["message"] and "SHA-256" in failed["error"]["message"]
        graph.write_bytes(intact)  # repaired (as a reinstall would): the old document would still fail
        good = browser.send(page, request)
        assert good["ok"], good
        assert browser.wait_for_download(good["result"]["filename"]).stat().st_size > 10_000


def _link_or_copy(source, target):
    try:
        os.link(source, target)  # no 150 MB copy where the file system allows
    except OSError:
        shutil.copy2(source, target)
