"""The built extension in Debian's Chromium.

The browser driver lives in build/extension_browser.py, beside ``make run``,
which uses it too; build/ is put on the path here so both the tests and the
benchmarks (`bench/`, which puts it on the path itself) find it.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "build"))
