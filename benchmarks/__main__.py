"""`python -m benchmarks [--quick] [--only NAME ...]`: run the benchmarks, print one table and
write the same figures as JSON under benchmarks/results/."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.plan import FULL, QUICK, Plan
from benchmarks.report import Report, Row, failed, table_lines

#: Name -> module; each module has `run(plan) -> list[Row]`. Order: cheapest to most disruptive.
BENCHMARKS: dict[str, str] = {
    "table": "benchmarks.table",
    "log": "benchmarks.log_latency",
    "apply": "benchmarks.apply",
    "server": "benchmarks.server_reads",
    "start": "benchmarks.startup",
}
RESULTS = Path(__file__).resolve().parent / "results"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    plan = QUICK if args.quick else FULL
    load_before = _load_average()
    rows: list[Row] = []
    for name in args.only or list(BENCHMARKS):
        print(f"running {name}…", file=sys.stderr, flush=True)
        rows += run_one(name, plan)
    report = Report(tuple(rows), plan.quick, {**environment(), "load_before": load_before})
    print("\n".join(table_lines(report.rows)))
    print(f"\nLoad average (1 min) before/after: {load_before} / {_load_average()}")
    path = write_json(report, args.out)
    print(f"\nJSON: {path}")
    return 1 if any(row.error for row in rows) else 0


def run_one(name: str, plan: Plan) -> list[Row]:
    """The rows of one benchmark; a benchmark that fails gives one row saying why."""
    try:
        run: Callable[[Plan], list[Row]] = importlib.import_module(BENCHMARKS[name]).run
        return run(plan)
    except Exception as error:
        return [failed(name, error)]


def environment() -> dict[str, Any]:
    from PySide6 import __version__ as pyside_version

    return {
        "python": platform.python_version(),
        "pyside6": pyside_version,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "qt_platform": os.environ.get("QT_QPA_PLATFORM", ""),
        "load_after": _load_average(),
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def _load_average() -> float | None:
    """The 1-minute load average: on a shared machine, how much else was running."""
    return round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None


def write_json(report: Report, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    kind = "quick" if report.quick else "full"
    path = folder / f"bench-{kind}-{stamp}.json"
    text = json.dumps(report.to_json(), indent=2, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    (folder / f"latest-{kind}.json").write_text(text, encoding="utf-8")
    return path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="few repetitions, small sizes: proves it works"
    )
    parser.add_argument(
        "--only", nargs="+", choices=list(BENCHMARKS), metavar="NAME", help=", ".join(BENCHMARKS)
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the JSON")
    return parser


if __name__ == "__main__":
    sys.exit(main())
