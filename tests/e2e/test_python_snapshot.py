"""The engine's Python snapshot: made by the engine prepared at install,
restored by later documents to the same results as a fresh start, and never
trusted when damaged or another build's."""

from __future__ import annotations

import time

import pytest

from extension_browser import launch_extension

from ._site import data_url

pytestmark = pytest.mark.browser

STATUS = "() => chrome.runtime.sendMessage({target: 'background', type: 'get-status', payload: {}})"

# The record as the engine stores it (extension/offscreen/python_snapshot.js),
# read and altered from an extension page: the same origin, the same database.
READ_RECORD = """() => new Promise((resolve) => {
  const open = indexedDB.open('offcut-engine');
  // Not there yet: do not create it (an empty database would stop the engine creating its store).
  open.onupgradeneeded = () => open.transaction.abort();
  open.onerror = () => resolve(null);
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains('python-snapshot')) { db.close(); resolve(null); return; }
    const get = db.transaction('python-snapshot').objectStore('python-snapshot').get('current');
    get.onsuccess = () => { db.close(); const r = get.result;
      resolve(r ? {key: r.key, bytes: r.bytes, sha256: r.sha256, blobSize: r.blob.size} : null); };
  };
})"""

ALTER_RECORD = """async (change) => {
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('offcut-engine');
    open.onsuccess = () => resolve(open.result); open.onerror = () => reject(open.error);
  });
  const store = () => db.transaction('python-snapshot', 'readwrite').objectStore('python-snapshot');
  const record = await new Promise((resolve) => { const g = store().get('current'); g.onsuccess = () => resolve(g.result); });
  if (change === 'flip-a-byte') {
    const bytes = new Uint8Array(await record.blob.arrayBuffer());
    bytes[bytes.length >> 1] ^= 0x20;  // length and recorded digest unchanged
    record.blob = new Blob([bytes]);
  } else {
    record.key = 'another-build/' + record.key;
  }
  await new Promise((resolve, reject) => { const p = store().put(record, 'current'); p.onsuccess = resolve; p.onerror = () => reject(p.error); });
  db.close();
}"""


def test_snapshot_is_made_once_restored_after_and_refused_when_wrong(playwright, tmp_path, site):
    request = {"url": data_url(site.files["coffee-alpha.png"])}
    with launch_extension(playwright, tmp_path / "profile") as browser:

        def fresh_engine() -> dict:
            browser.close_offscreen()
            reply = page.evaluate(STATUS)
            assert reply["ok"], reply
            return reply["result"]

        def cut_out() -> bytes:
            reply = browser.send(page, request)
            assert reply["ok"], reply
            saved = browser.wait_for_download(reply["result"]["filename"])
            png = saved.read_bytes()
            saved.unlink()
            return png

        def stored_record() -> dict:
            deadline = time.monotonic() + 30
            while (record := browser.worker.evaluate(READ_RECORD)) is None and time.monotonic() < deadline:
                time.sleep(0.1)  # stored while the boot goes on
            assert record is not None, "no snapshot was stored"
            return record

        # Installing prepares the engine unasked: its boot stores the snapshot.
        record = stored_record()
        assert record["bytes"] == record["blobSize"] > 1_000_000 and len(record["sha256"]) == 64
        page = browser.context.new_page()  # only now: the popup page would start the engine too
        page.goto(browser.url("popup.html"))

        restored = fresh_engine()
        assert restored["pythonSnapshot"] == "restored"
        from_snapshot = cut_out()

        page.evaluate(ALTER_RECORD, "flip-a-byte")
        damaged = fresh_engine()
        assert damaged["pythonSnapshot"] == "made", "a damaged snapshot was restored"
        # A heap restored from the snapshot does what a fresh start does: the same file, byte for byte.
        assert cut_out() == from_snapshot
        replaced = stored_record()
        assert replaced["bytes"] == replaced["blobSize"] and replaced["key"] == record["key"]
        assert fresh_engine()["pythonSnapshot"] == "restored", "the damaged record was not replaced"

        page.evaluate(ALTER_RECORD, "another-build")
        assert fresh_engine()["pythonSnapshot"] == "made", "another build's snapshot was restored"
        assert stored_record()["key"] == record["key"]
        assert fresh_engine()["pythonSnapshot"] == "restored"
