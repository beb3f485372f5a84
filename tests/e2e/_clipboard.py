"""Reading the clipboard as a person's paste does: the popup's and the results page's Copy tests."""

from __future__ import annotations


def paste_into_a_web_page(extension, site) -> str:
    """What a user's Ctrl+V on a web page receives, as base64 (a paste needs no read permission)."""
    page = extension.context.new_page()
    try:
        page.goto(site.url("index.html"))
        page.bring_to_front()
        page.evaluate("""() => { window.pasted = new Promise((resolve) => addEventListener("paste", async (event) => {
            const bytes = new Uint8Array(await event.clipboardData.files[0].arrayBuffer());
            let text = "";
            for (const byte of bytes) text += String.fromCharCode(byte);
            resolve(btoa(text));
        }, { once: true })); }""")
        page.keyboard.press("Control+V")
        return page.evaluate("() => window.pasted")
    finally:
        page.close()
