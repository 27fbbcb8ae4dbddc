"""The composition root: QApplication, the qasync loop, settings, keyring, the chosen backend.

The window is shown before anything slow: the store opens afterwards, with progress in the
status bar. An exception no task handled becomes a visible message instead of a dead task.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import traceback
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from faststore_desktop.backends import Backends
from faststore_desktop.settings import Settings
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.i18n import install_translator
from faststore_desktop.ui.icons import app_icon, style_sheet
from faststore_desktop.ui.main_window import MainWindow
from faststore_desktop.ui.session import Connection, Opened, Session
from faststore_desktop.ui.tasks import spawn

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox


log = logging.getLogger(__name__)


class App:
    """Everything the running application is made of, built in one place."""

    def __init__(self, backends: Backends | None = None, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.context = StoreContext(self.settings)
        self.backends = backends or Backends()
        self.session = Session(self.context, self.settings, self._open, self.backends)
        self.window = MainWindow(self.context, self.session, self.settings)
        self.backends.window = self.window
        self.session.storesChanged.connect(
            lambda: self.window.set_protection(
                self.session.protection, self.session.protection_warning
            )
        )

    async def _open(self, connection: Connection) -> Opened | None:
        opened = await self.backends.open(connection)
        # Every view follows the store: those the window builds after its first frame must
        # exist before the session sets the store it opens.
        self.window.build_all_views()
        return opened

    def start(self) -> asyncio.Task[None]:
        """Show the window now; open the last (or sample) store in the background."""
        self.window.show()
        return spawn(self.session.start())

    async def close(self) -> None:
        """Stop the views' work (loads, log follows), then close the backend under it."""
        self.window.watcher.stop()
        self.context.clear()
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)
        await self.session.close()


def install_exception_handler(loop: asyncio.AbstractEventLoop, parent: QWidget) -> None:
    def handle(_loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        log.error("%s", context.get("message", "Unexpected error"), exc_info=error)
        QTimer.singleShot(0, lambda: show_unexpected(parent, error))

    loop.set_exception_handler(handle)


def show_unexpected(parent: QWidget, error: BaseException | None) -> QMessageBox:
    """A failure nobody expected: say so plainly, with the technical details folded away."""
    from PySide6.QtWidgets import QMessageBox  # not before the first frame: see dialogs/run.py

    tr = QCoreApplication.translate
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        tr("App", "FastStore Desktop"),
        tr("App", "Something went wrong. Your saved variables and secrets are not affected."),
        parent=parent,
    )
    box.setInformativeText(tr("App", "Try again; if it keeps happening, restart the app."))
    if error is not None:
        box.setDetailedText("".join(traceback.format_exception(error)))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def apply_style(app: QApplication) -> None:
    """Our style sheet over the platform style; re-applied when the OS switches dark/light."""
    app.setStyleSheet(style_sheet("app"))
    hints = QGuiApplication.styleHints()
    hints.colorSchemeChanged.connect(lambda _scheme: app.setStyleSheet(style_sheet("app")))


async def _main(app: QApplication) -> int:
    composition = App()
    install_exception_handler(asyncio.get_running_loop(), composition.window)
    closed: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    app.lastWindowClosed.connect(lambda: None if closed.done() else closed.set_result(0))
    composition.start()
    code = await closed
    await composition.close()
    return code


def run_gui() -> int:
    # Fractional scale factors (125 %, 150 %) render crisply instead of being rounded.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("FastStore Desktop")
    app.setOrganizationName("FastStore")
    app.setDesktopFileName("faststore-desktop")
    # Closing the window ends _main, which closes the backend on a running loop, then returns;
    # Qt quitting by itself would stop the loop first.
    app.setQuitOnLastWindowClosed(False)
    app.setWindowIcon(app_icon())
    install_translator(app)
    apply_style(app)
    # Imported here, after the ui package has taken PySide6's import hook off (see pyside_imports).
    import qasync

    # asyncio.Runner takes the loop factory on Python 3.11 too (asyncio.run only from 3.12).
    with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
        return runner.run(_main(app))
