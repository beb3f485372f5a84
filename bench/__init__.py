"""Benchmarks: they report figures, they assert nothing (not tests; run by hand or by `make bench*`).

    python -m bench.native        native timings (`make bench`)
    python -m bench.browser       Offcut vs @imgly/background-removal in one Chromium (`make bench-browser`)
    python -m bench.extension     the extension's click-to-file stages, 12 or 100 MP
    python -m bench.graphs        the pipeline graphs alone in ORT-web
    python -m bench.idle_memory   the browser's memory before, after and idle after a job

The browser driver lives in build/extension_browser.py and the test site in
tests/e2e/_site.py (shared with the tests); build/ is put on the path here.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "build"))
