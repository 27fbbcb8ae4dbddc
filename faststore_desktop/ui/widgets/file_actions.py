"""Opening the file and line a result row points at: activate the row, or use its context menu.

Activating a row (double-click, Enter) opens the file with the desktop's default application for
its type. The context menu also offers **Reveal in folder** (the folder holding it) and **Copy
location** (`path:line`). No editor is asked to jump to the line: each spells that differently
(`code -g path:line`, `vim +line path`, `subl path:line`...), and the default application may not
be an editor at all; the copied location is the form editors and terminals understand.

Whether the file is still there is asked in a worker thread: the store's folder may be on a
network drive, and a stat there can hang for as long as the server does. The desktop is asked to
open it on the GUI thread afterwards, as Qt requires.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QTableView

from faststore_desktop.ui.view_tasks import OwnedTasks
from faststore_desktop.ui.widgets.read_only_table import add_table_action


@dataclass(frozen=True, slots=True)
class FileLocation:
    path: Path
    #: 1-based.
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


class FileLocationActions(QObject):
    """The file actions of `table`, whose rows `locate` turns into locations (or None)."""

    #: Opening failed: a message for the user.
    failed = Signal(str)

    def __init__(
        self, table: QTableView, locate: Callable[[QModelIndex], FileLocation | None]
    ) -> None:
        super().__init__(table)
        self._table = table
        self._locate = locate
        #: Opens in progress, cancelled if the table goes away while a slow disk answers.
        self._opening = OwnedTasks(self)
        table.activated.connect(lambda index: self.open_file(locate(index)))
        self.open_action = add_table_action(
            table, self.tr("Open file"), None, lambda: self.open_file(self.selected())
        )
        self.reveal_action = add_table_action(
            table, self.tr("Reveal in folder"), None, self._reveal_selected
        )
        self.copy_action = add_table_action(
            table, self.tr("Copy location"), None, self._copy_selected
        )
        table.selectionModel().selectionChanged.connect(self._update_actions)
        model = table.model()
        model.modelReset.connect(self._update_actions)
        self._update_actions()

    def selected(self) -> FileLocation | None:
        rows = self._table.selectionModel().selectedRows()
        return self._locate(rows[0]) if rows else None

    def open_file(self, location: FileLocation | None) -> None:
        """Open the location's file (in the background: see the module's notes)."""
        if location is not None:
            self._opening.spawn(self.open_path(location.path))

    def _reveal_selected(self) -> None:
        location = self.selected()
        if location is not None:
            self._opening.spawn(self.open_path(location.path.parent))

    def _copy_selected(self) -> None:
        location = self.selected()
        if location is not None:
            QGuiApplication.clipboard().setText(str(location))

    async def open_path(self, path: Path) -> bool:
        """Open `path` with the desktop's application for it; False (and `failed`) when it is
        gone or nothing could open it."""
        if not await asyncio.to_thread(path.exists):
            self.failed.emit(self.tr("{path} no longer exists.").format(path=path))
            return False
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.failed.emit(self.tr("No application could open {path}.").format(path=path))
            return False
        return True

    def _update_actions(self) -> None:
        enabled = self.selected() is not None
        for action in (self.open_action, self.reveal_action, self.copy_action):
            action.setEnabled(enabled)
