"""The composition root: QApplication, the qasync loop and the main window."""

from __future__ import annotations

import asyncio
import sys

import qasync
from PySide6.QtWidgets import QApplication

from faststore_desktop.ui.main_window import MainWindow


async def _main(app: QApplication) -> int:
    window = MainWindow()
    window.show()
    closed = asyncio.get_running_loop().create_future()
    app.lastWindowClosed.connect(lambda: closed.done() or closed.set_result(0))
    return int(await closed)


def run_gui() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("FastStore Desktop")
    return asyncio.run(_main(app), loop_factory=qasync.QEventLoop)
