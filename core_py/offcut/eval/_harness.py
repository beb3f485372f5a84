"""``offcut eval``: every method over every pair, one table, one contact sheet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ._fringe import FringeResult, fringe, reshoot_on_known_background
from ._manifest import GT_TYPES, EvalPair, ManifestError, load_manifest
from ._metrics import METRIC_NAMES, AlphaMetrics, alpha_metrics
from ._methods import Method
from ._sheet import write_contact_sheet

__all__ = ["EvalReport", "evaluate", "format_report"]


@dataclass
class EvalReport:
    methods: list[str]
    pairs: list[EvalPair]
    metrics: dict[tuple[str, str], AlphaMetrics] = field(default_factory=dict)  # (method, pair id) →
    fringes: dict[str, FringeResult] = field(default_factory=dict)  # soft pair id → (ours)
    sheet: Path | None = None

    def mean(self, method: str, gt_type: str) -> AlphaMetrics | None:
        rows = [self.metrics[method, p.id] for p in self.pairs if p.gt_type == gt_type]
        if not rows:
            return None
        return AlphaMetrics(*(float(np.mean([getattr(r, name) for r in rows])) for name in METRIC_NAMES))


def evaluate(manifest: str | Path, methods: dict[str, Method], sheet: Path | None = None,
             progress: Callable[[str], None] = lambda line: None) -> EvalReport:
    """Run ``methods`` (the first is "ours") over the manifest's pairs."""
    pairs = load_manifest(manifest)
    report = EvalReport(list(methods), pairs)
    ours = next(iter(methods.values()))
    rows = []
    for pair in pairs:
        photo, truth = pair.load_rgba(), pair.load_alpha()
        if truth.shape != photo.shape[:2]:
            raise ManifestError(f"pair {pair.id!r}: photo is {photo.shape[1]}×{photo.shape[0]}, "
                                f"its alpha {truth.shape[1]}×{truth.shape[0]}")
        cutouts = {name: method(photo) for name, method in methods.items()}
        for name, cutout in cutouts.items():
            report.metrics[name, pair.id] = alpha_metrics(cutout[..., 3], truth)
        if pair.gt_type == "soft_alpha":
            shot = reshoot_on_known_background(photo, truth)
            report.fringes[pair.id] = fringe(shot, ours(shot), photo, truth)
        rows.append((pair.id, photo, truth, cutouts))
        progress(f"{pair.id}: done")
    if sheet is not None:
        report.sheet = write_contact_sheet(sheet, rows)
    return report


def format_report(report: EvalReport) -> str:
    head = f"{'pair':22} {'type':8} {'method':14} {'IoU':>7} {'MAE':>7} {'SAD':>8} {'Grad':>7}"
    lines = [head, "-" * len(head)]
    for pair in report.pairs:
        for method in report.methods:
            lines.append(_row(pair.id, pair.gt_type, method, report.metrics[method, pair.id]))
    lines += ["", "means (pseudo_soft_alpha is a matting algorithm's output: shown, not a target)",
              head, "-" * len(head)]
    for gt_type in GT_TYPES:
        for method in report.methods:
            mean = report.mean(method, gt_type)
            if mean is not None:
                lines.append(_row("MEAN", gt_type, method, mean))
    if report.fringes:
        lines += ["", "fringe: soft pairs re-shot on a known background, composited on green; mean RGB distance",
                  f"{'':22} {'vs true composite':>22} {'colour only (our alpha)':>26}",
                  f"{'':22} {'before':>10} {'after':>10} {'before':>12} {'after':>12}"]
        for pair_id, r in report.fringes.items():
            lines.append(f"{pair_id:22} {r.before:10.2f} {r.after:10.2f} "
                         f"{r.colour_before:12.2f} {r.colour_after:12.2f}")
    if report.sheet:
        lines += ["", f"contact sheet: {report.sheet}"]
    return "\n".join(lines)


def _row(pair_id: str, gt_type: str, method: str, m: AlphaMetrics) -> str:
    short = {"binary_mask": "binary", "soft_alpha": "soft", "pseudo_soft_alpha": "pseudo",
             "peer_removebg_mask": "removebg"}[gt_type]
    return f"{pair_id:22} {short:8} {method:14} {m.iou:7.4f} {m.mae:7.4f} {m.sad:8.2f} {m.grad:7.3f}"
