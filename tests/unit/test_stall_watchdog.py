"""The suite's timeout ends a test stalled in a qasync loop, says where, and goes on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]

STALLED = """
import qasync
from PySide6.QtWidgets import QApplication


def test_waits_for_what_never_comes():
    loop = qasync.QEventLoop(QApplication.instance() or QApplication([]))

    async def never_answered():
        await loop.create_future()

    loop.run_until_complete(never_answered())


def test_next():
    pass
"""


def test_a_test_stalled_in_qt_fails_with_its_await_chain_and_the_suite_goes_on(
    tmp_path: Path,
) -> None:
    (tmp_path / "test_stalled.py").write_text(STALLED)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(TESTS)}
    command = [sys.executable, "-m", "pytest", "-p", "stall_watchdog", "-o", "timeout=1"]
    command += ["-p", "no:cacheprovider", "-q", "test_stalled.py"]
    run = subprocess.run(
        command, check=False, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=90
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Timeout >1s: test_stalled.py::test_waits_for_what_never_comes" in run.stdout
    assert "in never_answered" in run.stdout  # the task's await chain
    assert "--- thread MainThread ---" in run.stdout
    assert "1 failed, 1 passed" in run.stdout
