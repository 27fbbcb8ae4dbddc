"""Rows of figures, their targets, and the two outputs: one text table and the same as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from benchmarks.stats import Summary, paired_ratios, summarize


class Target(Protocol):
    def describe(self) -> str: ...

    def met(self, row: Row) -> bool: ...


@dataclass(frozen=True, slots=True)
class AtMostTimesBaseline:
    """measured / baseline, per side-by-side pair, at most `factor` (median of the pairs)."""

    factor: float

    def describe(self) -> str:
        return f"≤ {self.factor:g}× baseline"

    def met(self, row: Row) -> bool:
        return row.ratio is not None and row.ratio.median <= self.factor


@dataclass(frozen=True, slots=True)
class AtLeastTimesFaster:
    """baseline / measured, per side-by-side pair, at least `factor` (median of the pairs)."""

    factor: float

    def describe(self) -> str:
        return f"≥ {self.factor:g}× faster"

    def met(self, row: Row) -> bool:
        return row.ratio is not None and row.ratio.median >= self.factor


@dataclass(frozen=True, slots=True)
class Below:
    """Each named statistic of the measured series strictly under `limit`."""

    limit: float
    statistics: tuple[str, ...] = ("median",)

    def describe(self) -> str:
        return f"{' & '.join(self.statistics)} < {self.limit:g}"

    def met(self, row: Row) -> bool:
        return row.measured is not None and all(
            getattr(row.measured, name) < self.limit for name in self.statistics
        )


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    unit: str
    samples: tuple[float, ...] = ()
    target: Target | None = None
    baseline_name: str = ""
    baseline_samples: tuple[float, ...] = ()
    #: Per pair: measured/baseline, or baseline/measured for a speed-up target.
    ratio_samples: tuple[float, ...] = ()
    note: str = ""
    error: str = ""

    @property
    def measured(self) -> Summary | None:
        return summarize(self.samples) if self.samples else None

    @property
    def baseline(self) -> Summary | None:
        return summarize(self.baseline_samples) if self.baseline_samples else None

    @property
    def ratio(self) -> Summary | None:
        return summarize(self.ratio_samples) if self.ratio_samples else None

    @property
    def verdict(self) -> str:
        if self.error:
            return "error"
        if self.target is None:
            return "—"
        return "yes" if self.target.met(self) else "NO"

    def to_json(self) -> dict[str, Any]:
        measured, baseline, ratio = self.measured, self.baseline, self.ratio
        return {
            "name": self.name,
            "unit": self.unit,
            "measured": measured.to_json() if measured else None,
            "samples": list(self.samples),
            "baseline_name": self.baseline_name or None,
            "baseline": baseline.to_json() if baseline else None,
            "baseline_samples": list(self.baseline_samples),
            "ratio": ratio.to_json() if ratio else None,
            "target": self.target.describe() if self.target else None,
            "verdict": self.verdict,
            "note": self.note,
            "error": self.error,
        }


def compared(
    name: str,
    unit: str,
    samples: Sequence[float],
    baseline_name: str,
    baseline_samples: Sequence[float],
    target: AtMostTimesBaseline | AtLeastTimesFaster,
    note: str = "",
) -> Row:
    """A row measured side by side with its baseline; the ratio is taken pair by pair."""
    if isinstance(target, AtLeastTimesFaster):
        ratios = paired_ratios(baseline_samples, samples)
    else:
        ratios = paired_ratios(samples, baseline_samples)
    return Row(
        name=name,
        unit=unit,
        samples=tuple(samples),
        target=target,
        baseline_name=baseline_name,
        baseline_samples=tuple(baseline_samples),
        ratio_samples=tuple(ratios),
        note=note,
    )


def failed(name: str, error: BaseException) -> Row:
    return Row(name=name, unit="", error=f"{type(error).__name__}: {error}")


# -- output ---------------------------------------------------------------------------------------

_HEADERS = ("What", "Unit", "Median", "p95", "Spread", "Baseline", "Ratio", "Target", "Met")


def number(value: float) -> str:
    """Three significant figures or so, without scientific notation."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table_lines(rows: Sequence[Row]) -> list[str]:
    cells = [_HEADERS, *(_cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(_HEADERS))]

    def render(line: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))

    lines = [render(cells[0]), "  ".join("-" * width for width in widths)]
    lines += [render(line) for line in cells[1:]]
    notes = [f"  {row.name}: {row.error or row.note}" for row in rows if row.error or row.note]
    return [*lines, *(["", "Notes:", *notes] if notes else [])]


def _cells(row: Row) -> tuple[str, ...]:
    measured, baseline, ratio = row.measured, row.baseline, row.ratio
    return (
        row.name,
        row.unit,
        number(measured.median) if measured else "—",
        number(measured.p95) if measured else "—",
        number(measured.spread) if measured else "—",
        f"{number(baseline.median)} ({row.baseline_name})" if baseline else "—",
        f"{ratio.median:.2f}× ±{ratio.spread:.2f}" if ratio else "—",
        row.target.describe() if row.target else "report",
        row.verdict,
    )


@dataclass(frozen=True, slots=True)
class Report:
    rows: tuple[Row, ...]
    quick: bool
    environment: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "quick": self.quick,
            "environment": self.environment,
            "rows": [row.to_json() for row in self.rows],
        }
