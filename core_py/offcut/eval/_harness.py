"""``offcut eval``: every method over every pair; means with intervals, a regression view, a contact sheet."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ._fringe import FringeResult, fringe, reshoot_on_known_background
from ._intervals import mean_interval, paired_difference
from ._manifest import GT_TYPES, EvalPair, ManifestError, load_manifest
from ._metrics import METRIC_NAMES, AlphaMetrics, alpha_metrics
from ._methods import Method
from ._sheet import write_contact_sheet
from ._split import HALVES, half_of

__all__ = ["EvalReport", "evaluate", "format_report", "REGRESSION_IOU"]

#: A photo "loses" when our IoU is this much below the reference method's.
REGRESSION_IOU = 0.05
#: Kinds scored by IoU against a mask (the regression view applies to them).
_MASK_TYPES = ("binary_mask", "peer_removebg_mask")
#: Sets larger than this show only their worst photos in the contact sheet.
SHEET_ROWS = 10


@dataclass
class EvalReport:
    methods: list[str]
    pairs: list[EvalPair]
    metrics: dict[tuple[str, str], AlphaMetrics] = field(default_factory=dict)  # (method, pair id) →
    fringes: dict[str, FringeResult] = field(default_factory=dict)  # soft pair id → (ours)
    sheet: Path | None = None
    #: The method regressions are measured against: ISNet alone as imgly runs
    #: it when it was evaluated, else the second method.
    reference: str | None = None

    def scores(self, method: str, metric: str, pairs: Sequence[EvalPair]) -> np.ndarray:
        return np.array([getattr(self.metrics[method, p.id], metric) for p in pairs])

    def of_type(self, gt_type: str) -> list[EvalPair]:
        return [p for p in self.pairs if p.gt_type == gt_type]

    def mean(self, method: str, gt_type: str) -> AlphaMetrics | None:
        pairs = self.of_type(gt_type)
        if not pairs:
            return None
        return AlphaMetrics(*(float(self.scores(method, name, pairs).mean()) for name in METRIC_NAMES))

    def iou_change(self, pairs: Sequence[EvalPair], method: str | None = None) -> np.ndarray:
        """Per pair, the IoU of ``method`` (default: ours) minus the reference's."""
        return self.scores(method or self.methods[0], "iou", pairs) - self.scores(self.reference, "iou", pairs)


def evaluate(manifests: str | Path | Sequence[str | Path], methods: dict[str, Method], sheet: Path | None = None,
             progress: Callable[[str], None] = lambda line: None, half: str | None = None) -> EvalReport:
    """Run ``methods`` (the first is "ours") over the pairs of one or more manifests.

    ``half`` keeps only that half of the fixed tune / report split
    (``_split.py``). The contact sheet shows every pair of a small set, or
    the ``SHEET_ROWS`` whose IoU dropped most against the reference method.
    """
    pairs = _load(manifests, half)
    report = EvalReport(list(methods), pairs)
    if len(methods) > 1:
        report.reference = "imgly" if "imgly" in methods else list(methods)[1]
    ours = next(iter(methods.values()))
    shown: list[tuple[float, tuple]] = []  # (IoU change, sheet row), at most SHEET_ROWS kept when the set is large
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
        change = float(report.iou_change([pair])[0]) if report.reference else 0.0
        shown.append((change, (pair.id, photo, truth, cutouts)))
        if len(pairs) > SHEET_ROWS + 2:  # keep memory bounded: only the worst rows so far
            shown = sorted(shown, key=lambda item: item[0])[:SHEET_ROWS]
        progress(f"{pair.id}: done")
    if sheet is not None and shown:
        report.sheet = write_contact_sheet(sheet, [row for _, row in shown])
    return report


def _load(manifests, half: str | None) -> list[EvalPair]:
    if isinstance(manifests, (str, Path)):
        manifests = [manifests]
    if half is not None and half not in HALVES:
        raise ValueError(f"half must be one of {HALVES}, not {half!r}")
    pairs, seen = [], {}
    for manifest in manifests:
        for pair in load_manifest(manifest):
            if pair.id in seen:
                raise ManifestError(f"{manifest}: pair id {pair.id!r} is also in {seen[pair.id]}")
            seen[pair.id] = manifest
            if half is None or half_of(pair.id) == half:
                pairs.append(pair)
    if not pairs:
        raise ManifestError(f"no pairs in the {half} half of {', '.join(map(str, manifests))}")
    return pairs


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
    lines += _intervals(report)
    lines += _regressions(report)
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


def _metrics_of(gt_type: str) -> tuple[str, ...]:
    return ("sad", "grad") if gt_type.endswith("soft_alpha") else ("iou", "mae")


def _intervals(report: EvalReport) -> list[str]:
    """Per kind and per source: each method's mean with its 95 % interval, and ours minus
    each other method's, paired."""
    ours, lines = report.methods[0], ["", "95 % bootstrap intervals (differences: paired, per photo)"]
    groups = []
    for gt_type in GT_TYPES:
        pairs = report.of_type(gt_type)
        groups.append((gt_type, pairs))
        sources = sorted({p.source for p in pairs})
        if len(sources) > 1:  # a kind drawn from several sources: each on its own too
            groups += [(f"{gt_type} from {source}", [p for p in pairs if p.source == source]) for source in sources]
    for label, pairs in groups:
        if not pairs:
            continue
        gt_type = pairs[0].gt_type
        lines.append(f"{label} (n = {len(pairs)})")
        for metric in _metrics_of(gt_type):
            for method in report.methods:
                interval = mean_interval(report.scores(method, metric, pairs))
                lines.append(f"  {metric:4} {method:14} {interval.format()}")
            for method in report.methods[1:]:
                difference = paired_difference(report.scores(ours, metric, pairs), report.scores(method, metric, pairs))
                lines.append(f"  {metric:4} {ours} − {method}: {difference.format(signed=True)}")
    return lines


def _regressions(report: EvalReport) -> list[str]:
    if report.reference is None:
        return []
    lines = ["", f"regressions: our IoU minus {report.reference}'s, per photo"]
    for gt_type in _MASK_TYPES:
        pairs = report.of_type(gt_type)
        if not pairs:
            continue
        change = report.iou_change(pairs)
        lines.append(f"{gt_type} (n = {len(pairs)}): {_losers_and_gainers(change)}")
        worst = np.argsort(change)[:SHEET_ROWS]
        lines.append("  worst: " + ", ".join(f"{pairs[i].id} {change[i]:+.3f}" for i in worst))
        # The other methods' counts too, so candidates compare on do-no-harm in one run.
        for method in report.methods[1:]:
            if method != report.reference:
                lines.append(f"  {method}: {_losers_and_gainers(report.iou_change(pairs, method))}")
    return lines


def _losers_and_gainers(change: np.ndarray) -> str:
    return (f"{(change < -REGRESSION_IOU).sum()} lose more than {REGRESSION_IOU} "
            f"({(change < -REGRESSION_IOU).mean():.1%}), {(change > REGRESSION_IOU).sum()} gain more than "
            f"{REGRESSION_IOU}")


def _row(pair_id: str, gt_type: str, method: str, m: AlphaMetrics) -> str:
    short = {"binary_mask": "binary", "soft_alpha": "soft", "pseudo_soft_alpha": "pseudo",
             "peer_removebg_mask": "removebg"}[gt_type]
    return f"{pair_id:22} {short:8} {method:14} {m.iou:7.4f} {m.mae:7.4f} {m.sad:8.2f} {m.grad:7.3f}"
