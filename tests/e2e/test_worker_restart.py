"""The service worker may be terminated at any time; queued work must survive it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_job_survives_worker_termination(extension, extension_page, site):
    status = extension_page.evaluate(
        "() => chrome.runtime.sendMessage({target: 'background', type: 'get-status', payload: {}})")
    assert status["ok"], status  # the engine is warm, so the job is mid-graph when the worker dies
    extension_page.evaluate(
        """(url) => { window.pending = chrome.runtime.sendMessage(
               {target: 'background', type: 'remove-background', payload: {url, name: 'survivor.jpg'}}); }""",
        site.url("coffee.jpg"),
    )
    extension.worker.evaluate("() => { self.beforeTermination = true; }")
    extension_page.wait_for_timeout(1500)
    session = extension.context.new_cdp_session(extension_page)
    session.send("ServiceWorker.enable")
    session.send("ServiceWorker.stopAllWorkers")
    # The caller's reply is lost with the worker, but the job is in storage.session:
    # the next event that wakes the worker resumes it.
    extension_page.evaluate("() => window.pending.catch(() => null)")
    woken = extension_page.evaluate(
        "() => chrome.runtime.sendMessage({target: 'background', type: 'get-status', payload: {}})")
    assert woken["ok"], woken
    assert extension.worker.evaluate("() => self.beforeTermination") is None, "the worker was not restarted"
    saved = extension.wait_for_download("survivor-nobg.png", timeout=120)
    assert saved.stat().st_size > 10_000
    saved.unlink()
    after = extension_page.evaluate(
        "() => chrome.runtime.sendMessage({target: 'background', type: 'get-status', payload: {}})")
    # The resumed queue asked for the same job again; the engine joined the run in flight.
    assert after["result"]["jobsStarted"] == status["result"]["jobsStarted"] + 1, (status, after)
