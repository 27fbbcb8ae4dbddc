"""The packaging budget, side by side in one run: the app's bundle against a bare window's.

    python packaging/baseline/measure.py [--build] [--runs 7]

--build freezes both (the app's spec and bare-window.spec, same PyInstaller options and
trimming) into build/budget/dist first; otherwise the bundles already there are measured.
Size: every file of the one-folder bundle. Start: from spawning the program to the moment it
reports its main window shown (the app through `--smoke`, which prints "main window shown"
right after the real composition shows it; the bare window prints "shown"), offscreen.
The first start of each is reported apart (cold page cache), then the median of the others.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "build" / "budget"
SPECS = {
    "faststore-desktop": ROOT / "packaging" / "faststore-desktop.spec",
    "bare-window": ROOT / "packaging" / "baseline" / "bare-window.spec",
}
SHOWN_MARKERS = {"faststore-desktop": "main window shown", "bare-window": "shown"}
ARGS = {"faststore-desktop": ["--smoke"], "bare-window": ["--quit-when-shown"]}
BUDGET_RATIO = 1.3


@dataclass(frozen=True)
class Figures:
    name: str
    size_bytes: int
    build_seconds: float | None
    cold_start: float
    warm_starts: list[float]

    @property
    def warm_median(self) -> float:
        return statistics.median(self.warm_starts)


def build(name: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(WORK / "dist"), "--workpath", str(WORK / "work" / name),
         str(SPECS[name])],
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    return time.perf_counter() - started


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def time_to_shown(program: Path, name: str) -> float:
    """Seconds from spawning `program` until it prints that its window is shown."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    with subprocess.Popen(
        [str(program), *ARGS[name]],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    ) as child:
        assert child.stdout is not None
        shown = None
        for line in child.stdout:
            if shown is None and SHOWN_MARKERS[name] in line:
                shown = time.perf_counter() - started
        if child.wait() != 0 or shown is None:
            raise SystemExit(f"{program} did not report its window shown (exit {child.returncode})")
    return shown


def measure(name: str, runs: int, build_seconds: float | None) -> Figures:
    bundle = WORK / "dist" / name
    program = bundle / (f"{name}.exe" if sys.platform == "win32" else name)
    if not program.is_file():
        raise SystemExit(f"no bundle at {bundle}: run with --build")
    starts = [time_to_shown(program, name) for _ in range(runs)]
    return Figures(name, folder_size(bundle), build_seconds, starts[0], starts[1:])


def report(app: Figures, bare: Figures) -> str:
    ratio = app.size_bytes / bare.size_bytes
    rows = [
        "| | FastStore Desktop | bare PySide6 window | ratio |",
        "|---|---:|---:|---:|",
        f"| bundle size | {app.size_bytes / 1e6:.1f} MB | {bare.size_bytes / 1e6:.1f} MB | "
        f"{ratio:.2f}x (budget {BUDGET_RATIO}x: {'met' if ratio <= BUDGET_RATIO else 'MISSED'}) |",
        f"| window shown, first start | {app.cold_start:.2f} s | {bare.cold_start:.2f} s | "
        f"{app.cold_start / bare.cold_start:.2f}x |",
        f"| window shown, median of {len(app.warm_starts)} | {app.warm_median:.2f} s | "
        f"{bare.warm_median:.2f} s | {app.warm_median / bare.warm_median:.2f}x |",
    ]
    if app.build_seconds is not None and bare.build_seconds is not None:
        rows.append(
            f"| PyInstaller build | {app.build_seconds:.0f} s | {bare.build_seconds:.0f} s | |"
        )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="freeze both bundles first")
    parser.add_argument("--runs", type=int, default=7, help="starts of each (the first is cold)")
    args = parser.parse_args()
    built = {name: build(name) if args.build else None for name in SPECS}
    app = measure("faststore-desktop", args.runs, built["faststore-desktop"])
    bare = measure("bare-window", args.runs, built["bare-window"])
    print(report(app, bare))
    return 0


if __name__ == "__main__":
    sys.exit(main())
