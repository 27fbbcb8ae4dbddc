"""Opening dialogs without blocking the event loop.

`QDialog.exec()` would start a nested event loop inside a qasync task; instead a dialog is opened
window-modal with `open()` and the coroutine awaits its `finished` signal.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

# The window imports this module before its first frame; QDialog and QMessageBox (types of ~10
# enums) are named only when a dialog opens.
if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QWidget


async def run_dialog(dialog: QDialog) -> int:
    """Show `dialog` and wait until it closes; returns its result code."""
    result: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def finished(code: int) -> None:
        if not result.done():
            result.set_result(code)

    dialog.finished.connect(finished)
    dialog.open()
    return await result


async def confirm(
    parent: QWidget, title: str, text: str, *, details: str = "", accept: str = ""
) -> bool:
    """Ask a yes/no question; `accept` names the button that says yes."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    box.setInformativeText(details)
    yes = box.addButton(accept or box.tr("Continue"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    await run_dialog(box)
    accepted = box.clickedButton() is yes
    box.deleteLater()
    return accepted


async def show_failure(parent: QWidget, message: str, details: str) -> None:
    """A persistent failure: the dashboard's message, and the reason under Show Details."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Critical, parent.tr("FastStore Desktop"), message, parent=parent
    )
    box.setDetailedText(details)
    box.addButton(QMessageBox.StandardButton.Ok)
    await run_dialog(box)
    box.deleteLater()
