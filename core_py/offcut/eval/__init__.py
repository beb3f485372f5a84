"""The evaluation harness (native only: numpy, Pillow, onnxruntime).

``offcut eval MANIFEST`` / ``make eval``: the fused graph and the peers'
methods over photo / ground-truth pairs, IoU, MAE, SAD and gradient error per
pair and per ground-truth kind, a fringe measure for colour decontamination,
and a contact sheet.
"""

from ._harness import EvalReport, evaluate, format_report
from ._manifest import EvalPair, ManifestError, load_manifest
from ._methods import anchor_method, pipeline_method
from ._metrics import AlphaMetrics, alpha_metrics

__all__ = ["evaluate", "format_report", "EvalReport", "EvalPair", "ManifestError", "load_manifest", "pipeline_method",
           "anchor_method", "AlphaMetrics", "alpha_metrics"]
