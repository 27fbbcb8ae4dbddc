"""pytest-timeout for tests that wait inside Qt's event loop.

pytest-timeout's default method raises from a SIGALRM handler, but Python runs signal handlers
only between bytecodes of the main thread, and a qasync loop with nothing due waits inside Qt's
C++ event loop: the alarm is never handled and a stalled test hangs the suite until CI kills it,
with nothing printed. This timer runs in a thread instead. When a test overruns, it prints (with
capture suspended) what the test printed and Qt logged, every thread's stack and the await chain
of every task of every running asyncio loop, then cancels those tasks so that the test fails and
the suite goes on. A test still running a little later ends the run, as pytest-timeout's thread
method does.
"""

from __future__ import annotations

import asyncio
import gc
import io
import os
import sys
import threading
import traceback
from typing import Any

import pytest

GRACE_S = 20.0  # after the tasks are cancelled, how long the test has to end


class Watchdog:
    def __init__(self, item: pytest.Item, timeout: float) -> None:
        self.item = item
        self.finished = threading.Event()
        self.thread = threading.Thread(
            target=self._watch, args=(timeout,), name="stall-watchdog", daemon=True
        )
        self.thread.start()

    def cancel(self) -> None:
        self.finished.set()

    def _watch(self, timeout: float) -> None:
        if self.finished.wait(timeout):
            return
        loops = running_loops()
        self._report(f"Timeout >{timeout:g}s: {self.item.nodeid}", loops)
        for loop in loops:
            loop.call_soon_threadsafe(cancel_all, loop)
        if self.finished.wait(GRACE_S):
            return
        self._report(f"still running {GRACE_S:g}s after its tasks were cancelled; ending", loops)
        os._exit(1)

    def _report(self, title: str, loops: list[asyncio.AbstractEventLoop]) -> None:
        config = self.item.config
        capture: Any = config.pluginmanager.getplugin("capturemanager")
        if capture is not None:
            capture.suspend_global_capture(in_=True)
        terminal = config.get_terminal_writer()
        terminal.sep("+", title=title)
        if capture is not None:
            out, err = capture.read_global_capture()
            terminal.write(f"--- its output so far ---\n{out}{err}")
        terminal.write(qt_messages(self.item))
        terminal.write(thread_stacks())
        for loop in loops:
            terminal.write(task_stacks(loop))
        terminal.sep("+", title=title)
        terminal.flush()
        if capture is not None:
            capture.resume_global_capture()


def running_loops() -> list[asyncio.AbstractEventLoop]:
    return [
        o for o in gc.get_objects() if isinstance(o, asyncio.AbstractEventLoop) and o.is_running()
    ]


def cancel_all(loop: asyncio.AbstractEventLoop) -> None:
    for task in asyncio.all_tasks(loop):
        task.cancel("cancelled by the stall watchdog")


def qt_messages(item: pytest.Item) -> str:
    """What Qt logged during the test so far (pytest-qt shows it only once a test ends)."""
    records = getattr(getattr(item, "qt_log_capture", None), "records", [])
    return "".join(f"Qt {record.log_type_name}: {record.message}\n" for record in records)


def thread_stacks() -> str:
    names = {thread.ident: thread.name for thread in threading.enumerate()}
    out = io.StringIO()
    for ident, frame in sys._current_frames().items():
        if ident == threading.get_ident():
            continue  # this watchdog
        out.write(f"\n--- thread {names.get(ident, ident)} ---\n")
        out.write("".join(traceback.format_stack(frame)))
    return out.getvalue()


def task_stacks(loop: asyncio.AbstractEventLoop) -> str:
    out = io.StringIO()
    for task in asyncio.all_tasks(loop):
        out.write(f"\n--- {task!r} ---\n")
        task.print_stack(file=out)
    return out.getvalue()


WATCHDOG = pytest.StashKey[Watchdog]()


@pytest.hookimpl(tryfirst=True)
def pytest_timeout_set_timer(item: pytest.Item, settings: Any) -> bool:
    item.stash[WATCHDOG] = Watchdog(item, settings.timeout)
    return True


@pytest.hookimpl(tryfirst=True)
def pytest_timeout_cancel_timer(item: pytest.Item) -> bool:
    watchdog = item.stash.get(WATCHDOG, None)
    if watchdog is not None:
        watchdog.cancel()
    return True
