"""How big and how many: the full run, and the quick one that only proves the harness works."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Plan:
    quick: bool
    #: Side-by-side pairs of app and bare-window starts (after one warm-up pair).
    start_pairs: int
    start_entries: int
    table_entries: int
    table_loads: int
    #: Typing then erasing a query: each keystroke is a sample.
    filter_rounds: int
    changeset_entries: int
    apply_pairs: int
    log_lines_per_second: int
    log_seconds: float
    log_runs: int
    server_entries: int
    server_clients: int
    server_seconds: float
    server_runs: int


FULL = Plan(
    quick=False,
    start_pairs=7,
    start_entries=200,
    table_entries=10_000,
    table_loads=9,
    filter_rounds=6,
    changeset_entries=1_000,
    apply_pairs=3,
    log_lines_per_second=5_000,
    log_seconds=4.0,
    log_runs=2,
    server_entries=1_000,
    server_clients=50,
    server_seconds=4.0,
    server_runs=3,
)

QUICK = Plan(
    quick=True,
    start_pairs=1,
    start_entries=200,
    table_entries=1_000,
    table_loads=2,
    filter_rounds=1,
    changeset_entries=30,
    apply_pairs=1,
    log_lines_per_second=5_000,
    log_seconds=0.5,
    log_runs=1,
    server_entries=50,
    server_clients=5,
    server_seconds=0.5,
    server_runs=1,
)
