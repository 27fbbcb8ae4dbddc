"""A build line reaching the log view, and the GUI loop's stalls, while a build prints fast.

The real path on the app's qasync loop: the embedded WebOps runs a build step (a script printing
timestamped lines at the planned rate), its runner reads the pipe, the Deploys view's
StepLogFollower follows the step and feeds a LogView in a shown window. A line's latency runs
from the moment the script wrote it to the moment it is in the log view's document. A 5 ms Qt
heartbeat timer measures stalls: how late each beat fires while the lines flow.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from benchmarks.loops import run_on_qt, wait_until
from benchmarks.plan import Plan
from benchmarks.report import Below, Row
from benchmarks.seed import open_local
from faststore_desktop.webops.local.runner import PYTHON
from faststore_desktop.webops.local.service import LocalWebOps
from faststore_desktop.webops.models import (
    BuildStep,
    Deployment,
    DeploymentStatus,
    Store,
    StoreConfig,
)

HEARTBEAT_MS = 5
STEP = "Emit"
SCRIPT = Path(__file__).with_name("emit_lines.py")


def run(plan: Plan) -> list[Row]:
    latencies, stalls = run_on_qt(lambda: _measure(plan))
    rate = f"{plan.log_lines_per_second:,}"
    return [
        Row(
            f"build line to log view at {rate} lines/s",
            "ms",
            samples=tuple(latencies),
            target=Below(50.0, ("p95",)),
            note="from the script's write to the line in the view's document",
        ),
        Row(
            f"GUI loop stall at {rate} lines/s",
            "ms",
            samples=tuple(stalls),
            target=Below(20.0, ("p99",)),
            note=f"lateness of a {HEARTBEAT_MS} ms heartbeat timer while lines flow",
        ),
    ]


async def _measure(plan: Plan) -> tuple[list[float], list[float]]:
    latencies: list[float] = []
    stalls: list[float] = []
    with tempfile.TemporaryDirectory(prefix="fsd-bench-log-") as root:
        folder = Path(root) / "store"
        folder.mkdir()
        shutil.copy(SCRIPT, folder / SCRIPT.name)
        webops = await open_local(Path(root) / "data")
        try:
            command = (PYTHON, SCRIPT.name, str(plan.log_lines_per_second), str(plan.log_seconds))
            store = await webops.create_store(
                StoreConfig(name="Log", folder=str(folder), build_steps=(BuildStep(STEP, command),))
            )
            for _ in range(plan.log_runs):
                run_latencies, run_stalls = await _one_build(webops, store, plan)
                latencies += run_latencies
                stalls += run_stalls
        finally:
            await webops.close()
    return latencies, stalls


@dataclass
class _Watch:
    """What reached the log view's document, and when each heartbeat fired."""

    expected: int
    latencies: list[float] = field(default_factory=list)
    beats: list[float] = field(default_factory=list)
    last_block: object = None

    @property
    def complete(self) -> bool:
        return len(self.latencies) >= self.expected


async def _one_build(
    webops: LocalWebOps, store: Store, plan: Plan
) -> tuple[list[float], list[float]]:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QMainWindow

    from faststore_desktop.ui.views.deployment_details import StepLogFollower
    from faststore_desktop.ui.widgets.log_view import LogView

    watch = _Watch(expected=int(plan.log_lines_per_second * plan.log_seconds))
    window = QMainWindow()
    log_view = LogView(window)
    window.setCentralWidget(log_view)
    window.resize(1000, 700)
    window.show()
    follower = StepLogFollower(log_view, window)
    heartbeat = QTimer(window)
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(HEARTBEAT_MS)
    heartbeat.timeout.connect(lambda: watch.beats.append(time.monotonic()))
    document = log_view.editor.document()

    def arrived(_position: int, _removed: int, _added: int) -> None:
        now = time.monotonic()
        block = document.firstBlock() if watch.last_block is None else watch.last_block.next()  # type: ignore[attr-defined]
        while block.isValid():
            stamp = block.text().partition(" ")[0]
            try:
                latency = (now - float(stamp)) * 1000
            except ValueError:
                latency = None  # a line the runner wrote itself
            if latency is not None:
                watch.latencies.append(latency)
                if not heartbeat.isActive() and not watch.complete:
                    heartbeat.start()
            watch.last_block = block
            block = block.next()
        if watch.complete:
            heartbeat.stop()

    document.contentsChange.connect(arrived)
    try:
        deployment = await webops.create_deployment(store.id, "log benchmark")
        follower.follow(webops, store.id, deployment.id, STEP)
        await wait_until(lambda: watch.complete, "every build line in the log view", 120)
        deployment = await _finished(webops, store.id, deployment.id)
        if deployment.status is not DeploymentStatus.SUCCESS:
            raise RuntimeError(f"the build ended {deployment.status}: {deployment.error}")
    finally:
        heartbeat.stop()
        follower.stop()
        window.close()
        window.deleteLater()
    gaps = [(later - earlier) * 1000 for earlier, later in pairwise(watch.beats)]
    return watch.latencies, [max(0.0, gap - HEARTBEAT_MS) for gap in gaps]


async def _finished(webops: LocalWebOps, store_id: str, deployment_id: str) -> Deployment:
    while True:
        deployment = await webops.get_deployment(store_id, deployment_id)
        if deployment.status.finished:
            return deployment
        await asyncio.sleep(0.05)
