"""Polling from Python: an extension page's CSP forbids the string evaluation
Playwright's wait_for_function uses, and most waits here are on the extension."""

from __future__ import annotations

import time


def poll(check, seconds: float, what: str):
    """``check()``'s first truthy value within ``seconds``, else a failure naming ``what``."""
    deadline = time.monotonic() + seconds
    while not (value := check()):
        assert time.monotonic() < deadline, f"timed out: {what}"
        time.sleep(0.1)
    return value
