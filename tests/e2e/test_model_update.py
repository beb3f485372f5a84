"""An extension update keeps the stored model files whose catalog row is
unchanged and drops those whose row changed. The update is the copy's
manifest changed on disk, then what onInstalled("update") runs
(dropStaleModelFiles): chrome.runtime.reload() here leaves the unpacked
extension blocked (ERR_BLOCKED_BY_CLIENT) instead of reloading it."""

from __future__ import annotations

import json
import shutil
import time

import pytest

from extension_browser import DIST, launch_extension, shipped_manifest

from .test_engine_recovery import _link_or_copy
from .test_model_store import RECORDS

pytestmark = pytest.mark.browser


def test_an_update_keeps_unchanged_model_files_and_drops_changed_ones(playwright, tmp_path):
    dist = tmp_path / "dist"
    shutil.copytree(DIST, dist, copy_function=_link_or_copy)
    manifest_path = dist / "models" / f"{shipped_manifest()['model']}.json"
    manifest = json.loads(manifest_path.read_text())
    graph, network = manifest["sha256"], manifest["network"]["sha256"]
    with launch_extension(playwright, tmp_path / "profile", dist=dist) as browser:

        def records_until(predicate, seconds=60) -> set:
            deadline = time.monotonic() + seconds
            while not predicate(records := set(browser.worker.evaluate(RECORDS))):
                assert time.monotonic() < deadline, f"the store holds {records}"
                time.sleep(0.2)
            return records

        # The network downloaded at launch; the first engine assembles the graph and stores it.
        records_until(lambda r: {graph, network} <= r)

        # The engine tidies the store after storing its graph; it is closed first, so only the
        # update's own tidy below can see the changed manifest.
        browser.close_offscreen()

        # The update changes the graph's row (say, a new pipeline) and not the network's.
        changed = {**manifest, "sha256": "f" * 64}
        manifest_path.unlink()  # a new file, not a write through the link into the real dist/
        manifest_path.write_text(json.dumps(changed))
        dropped = browser.worker.evaluate("() => self.offcut.dropStaleModelFiles()")
        assert dropped == 1, dropped
        records = records_until(lambda r: graph not in r)
        assert network in records, "the update dropped the downloaded network, whose row did not change"
