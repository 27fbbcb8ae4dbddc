"""The benchmark harness: its statistics, targets and outputs, and one tiny run end to end.

Nothing here asserts a timing: the machine's speed is what the harness reports, not what the
tests check.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.__main__ import BENCHMARKS
from benchmarks.alternate import alternate, pair_order
from benchmarks.report import (
    AtLeastTimesFaster,
    AtMostTimesBaseline,
    Below,
    Report,
    Row,
    compared,
    failed,
    number,
    table_lines,
)
from benchmarks.stats import paired_ratios, percentile, summarize

REPO = Path(__file__).resolve().parents[2]


def test_percentile_interpolates_between_closest_ranks() -> None:
    samples = [4.0, 1.0, 3.0, 2.0]  # any order
    assert percentile(samples, 0.0) == 1.0
    assert percentile(samples, 1.0) == 4.0
    assert percentile(samples, 0.5) == pytest.approx(2.5)
    assert percentile(samples, 0.25) == pytest.approx(1.75)
    assert percentile([7.0], 0.99) == 7.0


@pytest.mark.parametrize("fraction", [-0.1, 1.5])
def test_percentile_refuses_a_fraction_outside_0_1(fraction: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        percentile([1.0], fraction)


def test_summary_of_no_samples_is_refused() -> None:
    with pytest.raises(ValueError, match="no samples"):
        summarize([])


def test_summary_gives_median_tails_and_spread() -> None:
    summary = summarize([float(n) for n in range(1, 101)])
    assert summary.count == 100
    assert summary.median == pytest.approx(50.5)
    assert summary.p95 == pytest.approx(95.05)
    assert summary.p99 == pytest.approx(99.01)
    assert summary.spread == pytest.approx(summary.q3 - summary.q1)
    assert (summary.minimum, summary.maximum) == (1.0, 100.0)
    assert summary.to_json()["spread"] == pytest.approx(49.5)


def test_paired_ratios_divide_pair_by_pair() -> None:
    assert paired_ratios([2.0, 9.0], [1.0, 3.0]) == [2.0, 3.0]
    with pytest.raises(ValueError, match="same length"):
        paired_ratios([1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="not positive"):
        paired_ratios([1.0], [0.0])


def test_alternation_is_abba_and_keeps_each_side_apart() -> None:
    calls: list[str] = []

    def side(name: str) -> float:
        calls.append(name)
        return float(len(calls))

    ours, theirs = alternate(lambda: side("A"), lambda: side("B"), 4)
    assert "".join(calls) == "ABBABAAB"
    assert [pair_order(i) for i in range(4)] == [True, False, False, True]
    assert ours == [1.0, 4.0, 6.0, 7.0]
    assert theirs == [2.0, 3.0, 5.0, 8.0]


def test_ratio_targets_compare_pair_by_pair() -> None:
    slower = compared(
        "start", "ms", [130.0, 260.0], "bare", [100.0, 200.0], AtMostTimesBaseline(1.3)
    )
    assert slower.ratio is not None and slower.ratio.median == pytest.approx(1.3)
    assert slower.verdict == "yes"
    too_slow = compared("start", "ms", [140.0], "bare", [100.0], AtMostTimesBaseline(1.3))
    assert too_slow.verdict == "NO"

    faster = compared(
        "apply", "ms", [10.0, 20.0], "singles", [250.0, 380.0], AtLeastTimesFaster(20)
    )
    assert faster.ratio is not None and faster.ratio.median == pytest.approx(22.0)  # pairs 25x, 19x
    assert faster.verdict == "yes"


def test_below_checks_every_named_statistic() -> None:
    target = Below(16.0, ("median", "p95"))
    fast = Row("keystroke", "ms", samples=tuple([5.0] * 19 + [15.0]), target=target)
    tail = Row("keystroke", "ms", samples=tuple([5.0] * 18 + [30.0, 30.0]), target=target)
    assert fast.verdict == "yes"
    assert tail.verdict == "NO"  # the median is fine, the p95 is not
    assert Row("reads", "req/s", samples=(1.0,)).verdict == "—"


def test_a_failed_benchmark_is_a_row_that_says_why() -> None:
    row = failed("server", RuntimeError("the API server did not start"))
    assert row.verdict == "error"
    assert row.measured is None
    assert "the API server did not start" in "\n".join(table_lines([row]))


def test_table_and_json_carry_the_same_figures() -> None:
    rows = (
        compared(
            "cold start", "ms", [300.0, 320.0], "bare", [250.0, 260.0], AtMostTimesBaseline(1.3)
        ),
        Row("reads", "req/s", samples=(1500.0, 1700.0), note="a floor"),
    )
    lines = table_lines(rows)
    assert lines[0].split()[:3] == ["What", "Unit", "Median"]
    start_line = next(line for line in lines if line.startswith("cold start"))
    assert "310" in start_line and "255 (bare)" in start_line and "≤ 1.3× baseline" in start_line
    assert lines[-1] == "  reads: a floor"

    data = json.loads(json.dumps(Report(rows, quick=True).to_json()))
    first = data["rows"][0]
    assert first["measured"]["median"] == pytest.approx(310.0)
    assert first["baseline"]["median"] == pytest.approx(255.0)
    assert first["samples"] == [300.0, 320.0]
    assert first["target"] == "≤ 1.3× baseline"
    assert data["rows"][1]["verdict"] == "—"


@pytest.mark.parametrize(
    ("value", "text"), [(1234.4, "1,234"), (56.78, "56.8"), (0.123, "0.12"), (100.0, "100")]
)
def test_numbers_are_shown_with_about_three_figures(value: float, text: str) -> None:
    assert number(value) == text


@pytest.mark.slow
def test_quick_run_of_every_benchmark_prints_a_table_and_writes_json(tmp_path: Path) -> None:
    """`python -m benchmarks --quick`: each benchmark still runs against the code it measures.

    The harness imports the app's internals, so an API change that breaks it fails here.
    """
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--out", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "apply a change set of" in result.stdout
    written = [path for path in tmp_path.glob("bench-quick-*.json")]
    assert len(written) == 1
    data = json.loads(written[0].read_text(encoding="utf-8"))
    assert data["quick"] is True
    names = [row["name"] for row in data["rows"]]
    assert any("(embedded)" in name for name in names) and any("(HTTP)" in name for name in names)
    for name in BENCHMARKS:
        assert f"running {name}" in result.stderr
    for row in data["rows"]:
        assert row["error"] == ""
        assert row["measured"]["count"] == len(row["samples"]) >= 1
        assert row["baseline"] is None or row["baseline"]["count"] == len(row["baseline_samples"])
        assert row["verdict"] in ({"yes", "NO"} if row["target"] else {"—"})
    assert json.loads((tmp_path / "latest-quick.json").read_text(encoding="utf-8")) == data
