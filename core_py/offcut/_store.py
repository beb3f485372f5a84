"""Where the native host keeps model files and the fused graphs built from them.

``$OFFCUT_HOME`` holds ``models/`` (registry
bytes, placed there by ``build/fetch_models.py``) and ``graphs/`` (fused
pipeline graphs, built on first use). A graph's file name carries a digest of
the graph-building source and the catalog row, so editing either rebuilds it.
Beside each graph, ``<graph>.sha256`` records the byte length and SHA-256 it
was written with; a cached graph that no longer matches (a disk error, an
interrupted copy, an edit) is rebuilt rather than run.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

from ._integrity import verify_model_file
from .catalog import ModelSpec, fused_companions

__all__ = ["offcut_home", "model_path", "fused_graph_path", "ensure_fused_graph"]

_GRAPH_SOURCE_DIR = Path(__file__).parent / "graph"


_CHECKOUT_CACHE = Path(__file__).resolve().parents[2] / ".cache"


def offcut_home() -> Path:
    """``$OFFCUT_HOME``; else the source checkout's ``.cache`` (where ``make
    models`` puts them) when running from one; else ``~/.cache/offcut``."""
    if os.environ.get("OFFCUT_HOME"):
        return Path(os.environ["OFFCUT_HOME"])
    if (_CHECKOUT_CACHE / "models").is_dir():
        return _CHECKOUT_CACHE
    return Path.home() / ".cache" / "offcut"


def model_path(spec: ModelSpec) -> Path:
    return offcut_home() / "models" / spec.file_name


def graph_digest(spec: ModelSpec) -> str:
    digest = hashlib.sha256(repr((spec, fused_companions(spec))).encode())
    # The graph code and the int8 ranges it quantises with (graph/calibration/).
    for source in sorted([*_GRAPH_SOURCE_DIR.glob("*.py"), *_GRAPH_SOURCE_DIR.glob("calibration/*.json")]):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def fused_graph_path(spec: ModelSpec) -> Path:
    return offcut_home() / "graphs" / f"{spec.id}-{graph_digest(spec)}.onnx"


def ensure_fused_graph(spec: ModelSpec, *, rebuild: bool = False) -> Path:
    """The fused graph for ``spec``: the cached one if it is intact, else built
    (after verifying every model it embeds). ``rebuild``: build it whatever
    the cache holds (the extension build ships only graphs it made itself)."""
    target = fused_graph_path(spec)
    if target.exists() and not rebuild:
        problem = _cache_problem(target)
        if problem is None:
            return target
        print(f"offcut: cached graph {target.name} {problem}; rebuilding it", file=sys.stderr)
    networks = (spec, *fused_companions(spec))
    for network in networks:  # fail closed before onnx ever parses any of them
        verify_model_file(network, model_path(network))
    import onnx  # build-time dependency, only needed when a graph is missing

    from .graph import build_pipeline_graph

    companions = [(c, onnx.load(model_path(c))) for c in networks[1:]]
    data = build_pipeline_graph(spec, onnx.load(model_path(spec)), companions).SerializeToString()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Record first, graph second, each written whole then renamed: a crash
    # leaves at worst a record without its graph, or an old graph that no
    # longer matches the record, and either is rebuilt next time.
    _write_atomically(_record_path(target), f"{len(data)} {hashlib.sha256(data).hexdigest()}\n".encode())
    _write_atomically(target, data)
    _remove_stale_graphs(spec, target)
    return target


def _record_path(graph: Path) -> Path:
    return graph.with_name(graph.name + ".sha256")


def _cache_problem(graph: Path) -> str | None:
    """Why the cached ``graph`` cannot be trusted, or None when it matches its record."""
    try:
        size, digest = _record_path(graph).read_text().split()
    except (OSError, ValueError):
        return "has no valid integrity record"
    data = graph.read_bytes()
    if len(data) != int(size):
        return f"holds {len(data):,} bytes, written with {int(size):,}"
    if hashlib.sha256(data).hexdigest() != digest:
        return "no longer matches the SHA-256 it was written with"
    return None


def _write_atomically(target: Path, data: bytes) -> None:
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    partial.write_bytes(data)
    partial.replace(target)


def _remove_stale_graphs(spec: ModelSpec, current: Path) -> None:
    """Graphs of ``spec`` built by older graph code: 50–90 MB each, never read again."""
    stale = re.compile(rf"{re.escape(spec.id)}-[0-9a-f]{{12}}\.onnx(\.sha256)?")
    for path in current.parent.iterdir():
        if path not in (current, _record_path(current)) and stale.fullmatch(path.name):
            path.unlink(missing_ok=True)  # another process may be removing it too
