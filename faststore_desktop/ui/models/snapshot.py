"""The keys (and versions) a deployment was built with, and which were new in it. No values."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt
from PySide6.QtGui import QFont

from faststore_desktop.core.entries import EntryType
from faststore_desktop.ui.models.table import RowListModel, translated
from faststore_desktop.webops.models import SnapshotEntry


class SnapshotColumn(enum.IntEnum):
    KEY = 0
    VERSION = 1
    TYPE = 2
    NEW = 3


_HEADERS = (
    QT_TRANSLATE_NOOP("SnapshotModel", "Key"),
    QT_TRANSLATE_NOOP("SnapshotModel", "Version"),
    QT_TRANSLATE_NOOP("SnapshotModel", "Type"),
    QT_TRANSLATE_NOOP("SnapshotModel", "In this deploy"),
)

_TYPES = {
    EntryType.TEXT: str(QT_TRANSLATE_NOOP("SnapshotModel", "Text")),
    EntryType.SECRET: str(QT_TRANSLATE_NOOP("SnapshotModel", "Secret")),
}


class SnapshotModel(RowListModel[SnapshotEntry, SnapshotColumn]):
    #: The `SnapshotEntry` itself.
    EntryRole = Qt.ItemDataRole.UserRole + 1
    #: True when the key/version was not in the previous successful deployment.
    NewRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(SnapshotColumn, translated("SnapshotModel", _HEADERS), parent)

    def cell(self, entry: SnapshotEntry, column: SnapshotColumn, role: int) -> Any:
        if role == self.EntryRole:
            return entry
        if role == self.NewRole:
            return entry.new
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
        if role == Qt.ItemDataRole.FontRole and entry.new:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column is SnapshotColumn.NEW:
            return QCoreApplication.translate(
                "SnapshotModel",
                "New: this version was not in the previous successful deployment"
                if entry.new
                else "Unchanged since the previous successful deployment",
            )
        return None

    def set_entries(self, entries: Sequence[SnapshotEntry]) -> None:
        if list(entries) != self._rows:
            self.reset_rows(entries)

    @property
    def new_count(self) -> int:
        return sum(entry.new for entry in self._rows)

    def _display(self, entry: SnapshotEntry, column: SnapshotColumn) -> str:
        match column:
            case SnapshotColumn.KEY:
                return entry.key
            case SnapshotColumn.VERSION:
                return f"v{entry.version}"
            case SnapshotColumn.TYPE:
                return QCoreApplication.translate("SnapshotModel", _TYPES[entry.type])
            case SnapshotColumn.NEW:
                return QCoreApplication.translate("SnapshotModel", "New") if entry.new else ""
