"""Measuring a figure and its baseline side by side, in alternating order.

On a shared machine the load changes from second to second; alternating (ABBA...) spreads that
drift evenly over both series, and each pair is compared with the other half of its own pair.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

_T = TypeVar("_T")


def pair_order(index: int) -> bool:
    """True when the measured side goes first in pair `index` (ABBA: 0 yes, 1 no, 2 no, 3 yes)."""
    return index % 4 in (0, 3)


def alternate(
    measured: Callable[[], _T], baseline: Callable[[], _T], pairs: int
) -> tuple[list[_T], list[_T]]:
    ours: list[_T] = []
    theirs: list[_T] = []
    for index in range(pairs):
        if pair_order(index):
            ours.append(measured())
            theirs.append(baseline())
        else:
            theirs.append(baseline())
            ours.append(measured())
    return ours, theirs


async def alternate_async(
    measured: Callable[[], Awaitable[_T]], baseline: Callable[[], Awaitable[_T]], pairs: int
) -> tuple[list[_T], list[_T]]:
    ours: list[_T] = []
    theirs: list[_T] = []
    for index in range(pairs):
        if pair_order(index):
            ours.append(await measured())
            theirs.append(await baseline())
        else:
            theirs.append(await baseline())
            ours.append(await measured())
    return ours, theirs
