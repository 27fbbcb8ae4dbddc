"""The one backoff rule: doubling from the first wait up to the cap, jittered between the floor
and the whole wait, and finite however many failures came before."""

from __future__ import annotations

import random

import pytest

from faststore_desktop.core.backoff import backoff


class Highest(random.Random):
    """Jitter that always picks the top of the range (or the bottom, with `low`)."""

    def __init__(self, *, low: bool = False) -> None:
        super().__init__(0)
        self.low = low

    def uniform(self, a: float, b: float) -> float:
        return a if self.low else b


def test_the_wait_doubles_from_the_first_up_to_the_cap() -> None:
    waits = [backoff(n, first=0.2, cap=1.0, rng=Highest()) for n in range(1, 6)]

    assert waits == [0.2, 0.4, 0.8, 1.0, 1.0]


@pytest.mark.parametrize(("floor", "lowest"), [(0.0, 0.0), (0.5, 4.0), (1.0, 8.0)])
def test_the_floor_is_the_least_share_of_the_wait_the_jitter_keeps(
    floor: float, lowest: float
) -> None:
    assert backoff(4, first=1.0, cap=60.0, rng=Highest(low=True), floor=floor) == lowest


def test_random_waits_stay_between_floor_and_ceiling() -> None:
    rng = random.Random(3)
    for failures in range(1, 40):
        ceiling = min(60.0, 2 ** (failures - 1))
        wait = backoff(failures, first=1.0, cap=60.0, rng=rng, floor=0.5)
        assert ceiling / 2 <= wait <= ceiling


def test_hours_of_failures_stay_capped_without_overflow() -> None:
    assert backoff(10**6, first=0.2, cap=5.0, rng=Highest()) == 5.0


def test_a_floor_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="floor must be between 0 and 1, not 2"):
        backoff(1, first=1.0, cap=2.0, rng=random.Random(0), floor=2.0)
