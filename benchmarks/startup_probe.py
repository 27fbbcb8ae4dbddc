"""The child process of the start-up benchmark: `python -m benchmarks.startup_probe MODE`.

MODE `app` starts FastStore Desktop through its real entry point, `bare` a bare PySide6 window
with one table, `seed` makes the embedded store the app will open. Both windows get the same
probe: it notes (CLOCK_MONOTONIC, comparable with the parent's) when the first frame of the window
has been painted and when the window shows its data, waits while idle, reads the resident memory,
prints one JSON line and ends the process. Only the standard library is imported before the
mode's own imports, so both modes pay for exactly what they use.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

DATA_KEY_ENV = "FSD_BENCH_DATA_KEY"

ENTRIES_ENV = "FSD_BENCH_ENTRIES"
IDLE_MS_ENV = "FSD_BENCH_IDLE_MS"
WINDOW_SIZE = (1200, 780)


def resident_kib() -> int:
    """Current resident set size; the peak where /proc is not available."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def watch(window: Any, ready: Callable[[], bool]) -> None:
    """Report on `window` once painted, ready and idle; then end the process."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication.instance()
    idle_ms = int(os.environ.get(IDLE_MS_ENV, "1000"))
    marks: dict[str, float] = {}

    def finish() -> None:
        print(json.dumps({**marks, "rss_kib": resident_kib()}), flush=True)
        os._exit(0)  # shutting down is not measured (nor its settings written)

    def wait_ready() -> None:
        if not ready():
            QTimer.singleShot(10, wait_ready)
            return
        marks["ready"] = time.monotonic()
        QTimer.singleShot(idle_ms, finish)

    def painted() -> None:  # runs once the whole first frame has been painted
        marks["painted"] = time.monotonic()
        wait_ready()

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget)
                and watched.window() is window
            ):
                app.removeEventFilter(self)
                QTimer.singleShot(0, painted)
            return False

    probe = FirstPaint(window)
    app.installEventFilter(probe)


def run_bare() -> int:
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("Bare window")
    rows = int(os.environ.get(ENTRIES_ENV, "200"))
    model = QStandardItemModel(0, 5, window)
    for row in range(rows):
        model.appendRow([QStandardItem(f"KEY_{row:05d}"), *(QStandardItem("") for _ in range(4))])
    table = QTableView(window)
    table.setModel(model)
    window.setCentralWidget(table)
    window.resize(*WINDOW_SIZE)
    window.show()
    watch(window, lambda: True)
    return app.exec()


def run_app() -> int:
    """The app as a user starts it; its keyring is benchmarks.process_keyring (named in
    PYTHON_KEYRING_BACKEND by the parent), loaded when the app first asks for the data key."""
    from faststore_desktop import app as app_module
    from faststore_desktop import cli

    expected = int(os.environ.get(ENTRIES_ENV, "200"))
    start = app_module.App.start

    def start_watched(self: app_module.App) -> Any:
        task = start(self)
        watch(self.window, lambda: _entries_shown(self.window) >= expected)
        return task

    app_module.App.start = start_watched  # type: ignore[method-assign]
    return cli.run([])


def _entries_shown(window: Any) -> int:
    from faststore_desktop.ui.models.entries import EntriesModel

    return max((model.rowCount() for model in window.findChildren(EntriesModel)), default=0)


def run_seed() -> int:
    """The embedded store as a returning user has it: the sample store, grown to N entries."""
    import asyncio
    import getpass

    from benchmarks.seed import add_entries, entry_creates
    from faststore_desktop import paths
    from faststore_desktop.webops.local.sample import ensure_sample_store
    from faststore_desktop.webops.local.service import LocalWebOps

    async def seed() -> None:
        data_dir = paths.data_dir()
        data_key = base64.b64decode(os.environ[DATA_KEY_ENV])
        webops = await LocalWebOps.open(data_dir, data_key, actor=getpass.getuser())
        try:
            store = await ensure_sample_store(webops, data_dir / "stores")
            present = len(await webops.list_entries(store.id))
            wanted = int(os.environ.get(ENTRIES_ENV, "200"))
            await add_entries(webops, store, entry_creates(max(0, wanted - present)))
        finally:
            await webops.close()

    asyncio.run(seed())
    return 0


MODES = {"app": run_app, "bare": run_bare, "seed": run_seed}

if __name__ == "__main__":
    sys.exit(MODES[sys.argv[1]]())
