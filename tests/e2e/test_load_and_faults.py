"""Load and faults: fifty jobs at once all finish, in order; an engine
document that disappears mid-job fails that job clearly, and the next works.
(The service worker stopped mid-job: test_worker_restart.py.)"""

from __future__ import annotations

import time

import pytest

from ._site import data_url
from .conftest import read_png

pytestmark = pytest.mark.browser

BURST = 50


def test_fifty_jobs_submitted_at_once_all_finish_in_order(extension, extension_page, site):
    url = data_url(site.files["coffee-small.png"])
    outcome = extension_page.evaluate(
        """async ([url, count]) => {
            const finished = [];
            const replies = await Promise.all(Array.from({length: count}, (_, i) => chrome.runtime.sendMessage(
                {target: 'background', type: 'remove-background', payload: {url, name: `burst-${i}.png`}})
                .then((reply) => { finished.push(i); return reply; })));
            return {replies, finished};
        }""",
        [url, BURST],
    )
    replies = outcome["replies"]
    assert [r["ok"] for r in replies] == [True] * BURST, [r for r in replies if not r["ok"]][:3]
    assert outcome["finished"] == list(range(BURST)), "jobs finished out of order"
    assert [r["result"]["filename"] for r in replies] == [f"burst-{i}-nobg.png" for i in range(BURST)]
    for reply in replies:
        saved = extension.wait_for_download(reply["result"]["filename"])
        assert read_png(saved).shape == (200, 300, 4)
        saved.unlink()


def test_an_engine_document_that_disappears_mid_job_fails_that_job_only(extension, extension_page, site):
    extension_page.evaluate(
        """(url) => { window.doomed = chrome.runtime.sendMessage(
            {target: 'background', type: 'remove-background', payload: {url, name: 'doomed.jpg'}}); }""",
        site.url("coffee-12mp.jpg"),
    )
    time.sleep(2.0)  # fetched and decoding or in the graph
    # Closed behind Offcut's back (as a crash or the browser would), not through its own close.
    extension.worker.evaluate("() => chrome.offscreen.closeDocument()")
    reply = extension_page.evaluate("() => window.doomed")
    assert reply["ok"] is False and reply["error"]["code"] == "engine-failed", reply
    assert "restarts with the next image" in reply["error"]["message"]
    assert not (extension.downloads / "doomed-nobg.png").exists()
    good = extension.send(extension_page, {"url": site.url("coffee.jpg")})
    assert good["ok"], good
    extension.wait_for_download(good["result"]["filename"]).unlink()
