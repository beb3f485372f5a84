"""Build-time construction of the fused pipeline graphs (needs ``onnx``, ``numpy``)."""

from ._export_graph import build_export_graph
from ._pipeline_graph import GRAPH_VERSION, build_pipeline_graph

__all__ = ["build_pipeline_graph", "build_export_graph", "GRAPH_VERSION"]
