"""Cancel: a running job stops mid-graph, a queued one never runs; no file is
saved for either, and the next image works."""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.browser

STATUS = "() => chrome.runtime.sendMessage({target: 'background', type: 'get-status', payload: {}})"


def _no_file_lands(extension, name: str, seconds: float = 2.0) -> None:
    time.sleep(seconds)  # a file saved despite the cancel would land within this
    assert not (extension.downloads / name).exists(), f"{name} was saved although its job was cancelled"


def _wait_for_status(page, text: str, timeout: float) -> None:
    """Polled from Python: the extension's CSP forbids the eval behind wait_for_function."""
    deadline = time.monotonic() + timeout
    while (status := page.inner_text("#status")) != text:
        assert time.monotonic() < deadline, f"status is {status!r}, never {text!r}"
        time.sleep(0.05)


def test_cancel_in_the_popup_stops_the_running_image(extension, site):
    popup = extension.context.new_page()
    try:
        popup.goto(extension.url("popup.html"))
        popup.check("#save-automatically")  # so that a cutout not stopped would land as a file
        assert popup.is_hidden("#cancel-button")
        popup.set_input_files("#file-input", str(site.files["coffee-12mp.jpg"]))
        # Past fetch and decode: the graph is running (seconds at 12 MP) when Cancel is clicked.
        _wait_for_status(popup, "Removing the background…", timeout=120)
        clicked = time.monotonic()
        popup.click("#cancel-button")
        _wait_for_status(popup, "Cancelled.", timeout=10)
        assert time.monotonic() - clicked < 5, "cancel waited for the graph to finish"
        assert popup.is_hidden("#cancel-button") and popup.is_hidden("#result")
        _no_file_lands(extension, "coffee-12mp-nobg.png")
        # The next image works (in a new engine document).
        popup.set_input_files("#file-input", str(site.files["coffee.jpg"]))
        popup.wait_for_selector("#result:not([hidden])", timeout=120_000)
        extension.wait_for_download("coffee-nobg.png").unlink()
    finally:
        popup.uncheck("#save-automatically")
        popup.close()


def test_a_queued_job_cancelled_never_reaches_the_engine(extension, extension_page, site):
    before = extension_page.evaluate(STATUS)["result"]["jobsStarted"]
    extension_page.evaluate(
        """([first, second]) => {
            const send = (url, name, jobId) => chrome.runtime.sendMessage(
                {target: 'background', type: 'remove-background', payload: {url, name, jobId}});
            window.firstJob = send(first, 'first.jpg', 'queued-test-first');
            window.secondJob = send(second, 'second.jpg', 'queued-test-second');
        }""",
        [site.url("coffee-12mp.jpg"), site.url("coffee.jpg")],
    )
    cancel = extension_page.evaluate(
        "() => chrome.runtime.sendMessage({target: 'background', type: 'cancel-job', payload: {jobId: 'queued-test-second'}})")
    assert cancel == {"ok": True, "result": {"cancelled": True}}
    second = extension_page.evaluate("() => window.secondJob")
    assert second["ok"] is False and second["error"]["code"] == "cancelled", second
    first = extension_page.evaluate("() => window.firstJob")
    assert first["ok"], first
    extension.wait_for_download("first-nobg.png").unlink()
    _no_file_lands(extension, "second-nobg.png", seconds=0.5)
    after = extension_page.evaluate(STATUS)["result"]["jobsStarted"]
    assert after == before + 1, "the cancelled job ran, or the engine restarted"
    # Finished or never seen: nothing to cancel, said plainly.
    for job_id in ("queued-test-first", "never-submitted"):
        reply = extension_page.evaluate(
            "(jobId) => chrome.runtime.sendMessage({target: 'background', type: 'cancel-job', payload: {jobId}})", job_id)
        assert reply == {"ok": True, "result": {"cancelled": False}}


def test_cancel_stops_a_download_that_hangs(extension, extension_page, site):
    extension_page.evaluate(
        """(url) => { window.hanging = chrome.runtime.sendMessage(
            {target: 'background', type: 'remove-background', payload: {url, jobId: 'hanging-download'}}); }""",
        site.url("stalled.jpg"),
    )
    time.sleep(1.0)  # the server has sent its first bytes and stopped
    started = time.monotonic()
    extension_page.evaluate(
        "() => chrome.runtime.sendMessage({target: 'background', type: 'cancel-job', payload: {jobId: 'hanging-download'}})")
    reply = extension_page.evaluate("() => window.hanging")
    assert reply["ok"] is False and reply["error"]["code"] == "cancelled", reply
    assert time.monotonic() - started < 5, "the cancel waited for the stalled server"
    good = extension_page.evaluate(
        "(url) => chrome.runtime.sendMessage({target: 'background', type: 'remove-background', payload: {url}})",
        site.url("coffee.jpg"))
    assert good["ok"], good
    extension.wait_for_download(good["result"]["filename"]).unlink()
