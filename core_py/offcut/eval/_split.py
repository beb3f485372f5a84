"""The fixed tune / report split of the evaluation pairs.

Every constant of the default pipeline is chosen on the "tune" half and
reported on the "report" half, never the other way round. The split is a
rule, not a list: a pair's half is the parity of the first byte of the
SHA-256 of its id, so it never changes, needs no file, and a pair added
later falls into a half without moving any other.
"""

from __future__ import annotations

import hashlib

__all__ = ["HALVES", "half_of"]

HALVES = ("tune", "report")


def half_of(pair_id: str) -> str:
    return HALVES[hashlib.sha256(pair_id.encode()).digest()[0] % 2]
