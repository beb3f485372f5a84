"""The model store: the default's graph is assembled once from its skeleton and
ISNet's downloaded file, kept in extension storage, verified on every read,
rebuilt when damaged, and a file no manifest names any more is dropped."""

from __future__ import annotations

import time

import pytest

from extension_browser import launch_extension, shipped_manifest

from ._site import data_url

pytestmark = pytest.mark.browser

STATUS = "() => chrome.runtime.sendMessage({target: 'background', type: 'get-status', payload: {}})"

# The records as extension/shared/model_store.js keeps them, read and altered
# from an extension page: the same origin, the same database.
RECORDS = """() => new Promise((resolve) => {
  const open = indexedDB.open('offcut-models');
  open.onupgradeneeded = () => open.transaction.abort();  // not there yet: do not create it
  open.onerror = () => resolve({});
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains('files')) { db.close(); resolve({}); return; }
    const all = db.transaction('files').objectStore('files').getAll();
    all.onsuccess = () => { db.close();
      resolve(Object.fromEntries(all.result.map((r) => [r.sha256, {name: r.name, bytes: r.bytes, blobSize: r.blob.size}]))); };
  };
})"""

ALTER = """async ({change, key}) => {
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('offcut-models');
    open.onsuccess = () => resolve(open.result); open.onerror = () => reject(open.error);
  });
  const store = () => db.transaction('files', 'readwrite').objectStore('files');
  const done = (request) => new Promise((resolve, reject) => { request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error); });
  const record = await done(store().get(key));
  if (change === 'flip-a-byte') {
    const bytes = new Uint8Array(await record.blob.arrayBuffer());
    bytes[bytes.length >> 1] ^= 0x20;  // length and recorded digest unchanged
    await done(store().put({...record, blob: new Blob([bytes])}, key));
  } else {  // a file an older build stored, under a digest no manifest names now
    const stale = '0'.repeat(64);
    await done(store().put({...record, name: 'old.onnx', sha256: stale}, stale));
  }
  db.close();
}"""


def test_the_assembled_graph_is_stored_verified_and_rebuilt_when_damaged(playwright, tmp_path, site):
    graph = shipped_manifest()
    assert "skeleton" in graph and graph["network"]["file"] == "isnet-fp16.onnx"
    request = {"url": data_url(site.files["coffee-alpha.png"])}
    with launch_extension(playwright, tmp_path / "profile") as browser:

        def stored(predicate) -> dict:
            deadline = time.monotonic() + 60
            while not predicate(records := browser.worker.evaluate(RECORDS)) and time.monotonic() < deadline:
                time.sleep(0.2)  # stored while the boot goes on
            return records

        def fresh_engine() -> str:
            browser.close_offscreen()
            reply = page.evaluate(STATUS)
            assert reply["ok"], reply
            return reply["result"]["graphFrom"]

        def cut_out() -> bytes:
            reply = browser.send(page, request)
            assert reply["ok"], reply
            saved = browser.wait_for_download(reply["result"]["filename"])
            png = saved.read_bytes()
            saved.unlink()
            return png

        # The network downloaded (launch_extension says yes for the user): the very next
        # image uses it, even when the download ended while the first engine still booted.
        page = browser.context.new_page()
        page.goto(browser.url("popup.html"))
        first = browser.send(page, request)
        assert first["ok"] and first["result"]["model"] == graph["model"], first
        browser.wait_for_download(first["result"]["filename"]).unlink()
        # That engine assembled the graph and stores it.
        records = stored(lambda r: graph["sha256"] in r)
        assert records.get(graph["sha256"]) == {"name": graph["graph"], "bytes": graph["bytes"],
                                                "blobSize": graph["bytes"]}, records
        assert fresh_engine() == "store"
        from_store = cut_out()

        page.evaluate(ALTER, {"change": "older-build", "key": graph["sha256"]})
        page.evaluate(ALTER, {"change": "flip-a-byte", "key": graph["sha256"]})
        assert fresh_engine() == "assembled", "a damaged stored graph was used"
        assert cut_out() == from_store
        records = stored(lambda r: "0" * 64 not in r and graph["sha256"] in r)
        assert set(records) == {graph["sha256"], graph["network"]["sha256"]}, \
            "the older build's file was kept, or the graph not stored again"
        assert fresh_engine() == "store"
