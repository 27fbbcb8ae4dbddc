"""Exponential backoff with jitter: how long to wait after failures in a row, so many clients
that failed together do not come back together. One rule for the HTTP client's retries and the
GUI's reconnects; each says where the wait starts, where it stops growing and how much of it may
be cut by the jitter."""

from __future__ import annotations

import random

#: Past this many doublings every useful wait is at its cap; also keeps `2**n` a finite float.
_MAX_DOUBLINGS = 62


def backoff(
    failures: int, *, first: float, cap: float, rng: random.Random, floor: float = 0.0
) -> float:
    """The wait after `failures` failures in a row (counted from 1): `first` doubling with each
    failure, at most `cap`, then jittered to a random point between `floor` times that and all
    of it (`floor=0`: full jitter; `floor=0.5`: never under half, so a broken server is not
    hammered)."""
    if not 0.0 <= floor <= 1.0:
        raise ValueError(f"floor must be between 0 and 1, not {floor}")
    doublings = min(max(failures - 1, 0), _MAX_DOUBLINGS)
    ceiling = min(cap, first * 2**doublings)
    return rng.uniform(ceiling * floor, ceiling)
