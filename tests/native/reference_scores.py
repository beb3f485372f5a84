"""Writes ``imgly_report_iou.json``: per photo of eval v2's report half, the IoU of ISNet as
@imgly/background-removal runs it (``offcut.eval`` anchor "imgly").

    python -m tests.native.reference_scores   # ~8 min uncached, seconds with out/eval/cache

The held-out test counts the photos where the default loses more than 0.05
IoU against these, without running the peer in every build (derived scores
only: no photo or mask is copied).
"""

from __future__ import annotations

import json
from pathlib import Path

from offcut.eval import anchor_method, evaluate

from ..conftest import SHARED_EVAL

V2 = SHARED_EVAL / "v2"
MANIFESTS = [V2 / "manifest.json", V2 / "people-removebg.json"]
SCORES = Path(__file__).with_name("imgly_report_iou.json")


def main() -> None:
    report = evaluate(MANIFESTS, {"imgly": anchor_method("imgly", Path("out/eval/cache"))}, half="report")
    scores = {pair.id: round(report.metrics["imgly", pair.id].iou, 6) for pair in report.pairs
              if pair.gt_type in ("binary_mask", "peer_removebg_mask")}
    SCORES.write_text(json.dumps({"made_by": "python -m tests.native.reference_scores", "iou": scores},
                                 indent=1, sort_keys=True) + "\n")
    print(f"{SCORES}: {len(scores)} photos")


if __name__ == "__main__":
    main()
