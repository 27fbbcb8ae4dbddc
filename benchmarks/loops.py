"""The event loops benchmarks run on: a qasync loop over the QApplication (as the app runs), or
a plain asyncio loop for work with no GUI (a load generator must not pay for Qt)."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import time
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

_T = TypeVar("_T")


def qt_application() -> QApplication:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        qInstallMessageHandler(_quiet_offscreen)
        app = QApplication([sys.argv[0]])
        # Benchmarks open and close windows; closing the last one must not end the loop.
        app.setQuitOnLastWindowClosed(False)
        from faststore_desktop.ui.icons import style_sheet

        app.setStyleSheet(style_sheet("app"))  # painted as the app paints, style sheet included
    assert isinstance(app, QApplication)
    return app


def _quiet_offscreen(_kind: Any, _context: Any, message: str) -> None:
    """Qt's messages on stderr, but the offscreen platform's remark about every shown window."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def run_on_qt(main: Callable[[], Coroutine[Any, Any, _T]]) -> _T:
    import qasync

    app = qt_application()
    try:
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
            return runner.run(main())
    finally:
        # Collect the loop's Qt timers here, on the GUI thread: a later collection in a worker
        # thread would destroy them there ("Timers cannot be stopped from another thread").
        gc.collect()


def run_plain(main: Callable[[], Coroutine[Any, Any, _T]]) -> _T:
    with asyncio.Runner() as runner:
        return runner.run(main())


async def wait_until(
    condition: Callable[[], bool], what: str, limit: float = 60.0, poll: float = 0.01
) -> None:
    """Poll `condition` on the running loop (a nested Qt loop would break qasync's tasks)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {limit:g} s")
        await asyncio.sleep(poll)
