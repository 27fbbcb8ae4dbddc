"""Summaries of repeated measurements: median, tail percentiles and spread."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Summary:
    """Order statistics of one series of samples (all in the same unit)."""

    count: int
    median: float
    p95: float
    p99: float
    q1: float
    q3: float
    minimum: float
    maximum: float

    @property
    def spread(self) -> float:
        """The interquartile range: robust against the odd sample a busy machine produces."""
        return self.q3 - self.q1

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "spread": self.spread}


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The `fraction` quantile (0..1), interpolating linearly between closest ranks."""
    if not samples:
        raise ValueError("no samples")
    if not 0.0 <= fraction <= 1.0:
        raise ValueError("fraction must be between 0 and 1")
    ordered = sorted(samples)
    position = fraction * (len(ordered) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    weight = position - lower
    return ordered[lower] + (ordered[upper] - ordered[lower]) * weight


def summarize(samples: Sequence[float]) -> Summary:
    if not samples:
        raise ValueError("no samples")
    return Summary(
        count=len(samples),
        median=percentile(samples, 0.5),
        p95=percentile(samples, 0.95),
        p99=percentile(samples, 0.99),
        q1=percentile(samples, 0.25),
        q3=percentile(samples, 0.75),
        minimum=min(samples),
        maximum=max(samples),
    )


def paired_ratios(numerators: Sequence[float], denominators: Sequence[float]) -> list[float]:
    """Ratios of samples taken side by side: each pair saw the same moment of a noisy machine."""
    if len(numerators) != len(denominators):
        raise ValueError("paired series must have the same length")
    if any(d <= 0 for d in denominators):
        raise ValueError("a denominator is not positive")
    return [n / d for n, d in zip(numerators, denominators, strict=True)]
