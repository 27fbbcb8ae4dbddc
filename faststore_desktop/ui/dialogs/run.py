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
    from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

#: The widest a confirmation's text column grows to fit a line unwrapped, in average characters;
#: longer lines wrap as QMessageBox wraps them.
CONFIRM_LINE_CHARS = 60


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
    _fit_lines(box, text, details)
    await run_dialog(box)
    accepted = box.clickedButton() is yes
    box.deleteLater()
    return accepted


def _fit_lines(box: QMessageBox, *texts: str) -> None:
    """Widen the text column so each line of `texts` fits unwrapped, up to CONFIRM_LINE_CHARS.

    QMessageBox sizes itself on show: its informative text always wraps, so beside two short
    buttons "This action can't be undone." broke onto two lines. A spacer in the text column
    raises the column's minimum width, which QMessageBox's own sizing then respects.
    """
    from PySide6.QtWidgets import QGridLayout, QSizePolicy, QSpacerItem

    layout = box.layout()
    if not isinstance(layout, QGridLayout):
        return
    metrics = box.fontMetrics()
    widest = max(
        (metrics.horizontalAdvance(line) for text in texts for line in text.splitlines()),
        default=0,
    )
    # One character of slack: wrapped at exactly its advance, a line still breaks (measured).
    char = metrics.averageCharWidth()
    width = min(widest + char, char * CONFIRM_LINE_CHARS)
    spacer = QSpacerItem(width, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Minimum)
    layout.addItem(spacer, layout.rowCount(), layout.columnCount() - 1)


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
