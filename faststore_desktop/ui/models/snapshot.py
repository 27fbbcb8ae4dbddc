"""The keys (and versions) a deployment was built with, and which were new in it. No values."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from faststore_desktop.core.entries import EntryType
from faststore_desktop.webops.models import SnapshotEntry

_Index = QModelIndex | QPersistentModelIndex


class SnapshotColumn(enum.IntEnum):
    KEY = 0
    VERSION = 1
    TYPE = 2
    NEW = 3


_HEADERS = {
    SnapshotColumn.KEY: str(QT_TRANSLATE_NOOP("SnapshotModel", "Key")),
    SnapshotColumn.VERSION: str(QT_TRANSLATE_NOOP("SnapshotModel", "Version")),
    SnapshotColumn.TYPE: str(QT_TRANSLATE_NOOP("SnapshotModel", "Type")),
    SnapshotColumn.NEW: str(QT_TRANSLATE_NOOP("SnapshotModel", "In this deploy")),
}

_TYPES = {
    EntryType.TEXT: str(QT_TRANSLATE_NOOP("SnapshotModel", "Text")),
    EntryType.SECRET: str(QT_TRANSLATE_NOOP("SnapshotModel", "Secret")),
}


class SnapshotModel(QAbstractTableModel):
    #: The `SnapshotEntry` itself.
    EntryRole = Qt.ItemDataRole.UserRole + 1
    #: True when the key/version was not in the previous successful deployment.
    NewRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[SnapshotEntry] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(SnapshotColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("SnapshotModel", _HEADERS[SnapshotColumn(section)])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = SnapshotColumn(index.column())
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
        if list(entries) == self._entries:
            return
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    @property
    def new_count(self) -> int:
        return sum(entry.new for entry in self._entries)

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
