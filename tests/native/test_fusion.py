"""The fusion rule, on single values: where the companion network may change the primary's mask."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest

from offcut.graph._builder import FLOAT, GraphBuilder
from offcut.graph._fusion import fuse_masks


def _fused(primary: float, companion: float) -> float:
    g = GraphBuilder("fusion")
    p, c = g.input("p", FLOAT, [1, 1, 1, 1]), g.input("c", FLOAT, [1, 1, 1, 1])
    out = g.rename(fuse_masks(g, p, c), "out")
    session = ort.InferenceSession(g.build([(out, FLOAT, [1, 1, 1, 1])]).SerializeToString(),
                                   providers=["CPUExecutionProvider"])
    feeds = {"p": np.full((1, 1, 1, 1), primary, np.float32), "c": np.full((1, 1, 1, 1), companion, np.float32)}
    return float(session.run(None, feeds)[0].item())


@pytest.mark.parametrize("primary, companion, expected", [
    (0.3, 1.0, 1.0),     # a veil, the companion sure of foreground: filled in
    (0.3, 0.75, 0.3 + 0.45 * 0.25),  # the companion half sure: raised halfway by its certainty (2·0.75 − 1)²
    (0.3, 0.5, 0.3),     # the companion unsure: nothing moves
    (0.7, 0.0, 0.0),     # the companion sure of background: a veil over background is cleared
    (0.7, 0.25, 0.7 - 0.45 * 0.25),  # …and lowered halfway where the companion is half sure
    (0.01, 1.0, 0.01 + 0.99 * 0.5),  # the primary nearly sure: the companion's say shrinks
    (0.99, 0.0, 0.99 - 0.99 * 0.5),
    (0.0, 1.0, 0.0),     # the primary certain: background stays background
    (1.0, 0.0, 1.0),
])
def test_the_companion_moves_only_an_unsure_primary(primary, companion, expected):
    assert _fused(primary, companion) == pytest.approx(expected, abs=1e-6)
