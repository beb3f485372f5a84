"""The engine document closes when idle (its memory goes back) and reopens on demand."""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.browser

SHORT_IDLE_MS = 1500


def _offscreen_documents(extension) -> int:
    return extension.worker.evaluate(
        "async () => (await chrome.runtime.getContexts({contextTypes: ['OFFSCREEN_DOCUMENT']})).length")


def _remove(extension, site, demo_page, name: str) -> dict:
    reply = extension.click_menu(site.url(name), demo_page.url, extension.tab_id(demo_page))
    assert reply["ok"], reply
    extension.wait_for_download(reply["result"]["filename"]).unlink()
    return reply["result"]


def test_idle_engine_closes_and_reopens(extension, site, demo_page):
    extension.worker.evaluate(f"() => self.offcut.setEngineIdleCloseMs({SHORT_IDLE_MS})")
    try:
        _remove(extension, site, demo_page, "coffee.jpg")
        assert _offscreen_documents(extension) == 1, "the engine closed while its job was finishing"
        deadline = time.monotonic() + 30
        while _offscreen_documents(extension) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _offscreen_documents(extension) == 0, "the idle engine document was never closed"
        # The next request reopens it and works as before.
        result = _remove(extension, site, demo_page, "coffee.jpg")
        assert result["width"] > 0 and _offscreen_documents(extension) == 1
    finally:
        extension.worker.evaluate("() => self.offcut.setEngineIdleCloseMs(0)")


def test_jobs_racing_the_idle_close_all_finish(extension, site, demo_page):
    """With a tiny idle period the close request races each next job: none may be lost."""
    extension.worker.evaluate("() => self.offcut.setEngineIdleCloseMs(1)")
    try:
        for _ in range(3):
            assert _remove(extension, site, demo_page, "coffee.jpg")["width"] > 0
    finally:
        extension.worker.evaluate("() => self.offcut.setEngineIdleCloseMs(0)")


# A request in flight when its document is closed (cancel, idle close) is left
# without an answer; that late failure must not close the document that a
# request made after the close has already opened.
CLOSE_UNDER_A_REQUEST = """async () => {
  const {effective: model} = await self.offcut.defaultModel();
  const status = () => self.offcut.askEngine('get-status', {model})  // answered once the engine has booted
    .then(() => 'answered', (err) => err.code + ': ' + err.message);
  const before = status();
  await new Promise((resolve) => setTimeout(resolve, 100));
  // The next request goes out the moment the close is done, before the late failure is handled.
  const after = await self.offcut.closeOffscreenDocument().then(status);
  return {before: await before, after};
}"""


def test_a_request_after_a_close_is_not_lost_to_the_closed_documents_late_failure(extension):
    for _ in range(3):
        extension.close_offscreen()
        reply = extension.worker.evaluate(CLOSE_UNDER_A_REQUEST)
        assert reply["after"] == "answered", reply
        assert reply["before"].startswith("engine-failed"), reply  # its document went away unanswered
        assert _offscreen_documents(extension) == 1


def test_opening_the_popup_starts_the_engine_which_still_closes_when_unused(extension):
    extension.close_offscreen()
    extension.worker.evaluate(f"() => self.offcut.setEngineIdleCloseMs({SHORT_IDLE_MS})")
    popup = extension.context.new_page()
    try:
        popup.goto(extension.url("popup.html"))
        deadline = time.monotonic() + 30
        while not _offscreen_documents(extension) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _offscreen_documents(extension) == 1, "opening the popup did not start the engine"
        # Booted, then idle with no job: it asks to be closed like any idle engine.
        deadline = time.monotonic() + 60
        while _offscreen_documents(extension) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _offscreen_documents(extension) == 0, "an engine started for the popup never closed"
    finally:
        popup.close()
        extension.worker.evaluate("() => self.offcut.setEngineIdleCloseMs(0)")


def test_after_a_large_job_the_engine_worker_is_replaced_and_the_next_job_works(extension, site, demo_page):
    """A job over the limit (lowered here to 0.2 MP) leaves no heap behind: a new worker takes over."""
    status = "() => chrome.runtime.sendMessage({target: 'background', type: 'get-status', payload: {}})"
    page = extension.context.new_page()
    page.goto(extension.url("popup.html"))
    extension.worker.evaluate("() => self.offcut.setRecycleAfterPixels(200000)")
    try:
        before = page.evaluate(status)["result"]
        _remove(extension, site, demo_page, "coffee.jpg")  # 600×400 = 0.24 MP
        after = page.evaluate(status)["result"]
        assert after["enginesStarted"] == before["enginesStarted"] + 1, (before, after)
        assert after["jobsStarted"] == before["jobsStarted"] + 1, "the document itself was replaced"
        _remove(extension, site, demo_page, "coffee-small.png")  # 300×200: under the limit
        last = page.evaluate(status)["result"]
        assert last["enginesStarted"] == after["enginesStarted"] and last["pythonSnapshot"] == "restored"
    finally:
        extension.worker.evaluate("() => self.offcut.setRecycleAfterPixels(0)")
        page.close()
