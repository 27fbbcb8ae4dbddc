"""The versions of one entry, newest first: when, who, what; text values masked."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from faststore_desktop.core.review import mask
from faststore_desktop.ui.formatting import format_when
from faststore_desktop.webops.models import EntryVersion

Index = QModelIndex | QPersistentModelIndex


class HistoryColumn(enum.IntEnum):
    VERSION = 0
    ACTION = 1
    WHEN = 2
    AUTHOR = 3
    VALUE = 4


class HistoryRole(enum.IntEnum):
    VERSION = Qt.ItemDataRole.UserRole + 1  # the EntryVersion


class HistoryModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._versions: list[EntryVersion] = []
        self._headers = [
            self.tr("Version"),
            self.tr("Change"),
            self.tr("When"),
            self.tr("By"),
            self.tr("Value"),
        ]
        self._actions = {
            "create": self.tr("Created"),
            "update": self.tr("Updated"),
            "delete": self.tr("Deleted"),
            "rollback": self.tr("Restored"),
        }

    def set_versions(self, versions: Iterable[EntryVersion]) -> None:
        self.beginResetModel()
        self._versions = list(versions)
        self.endResetModel()

    def version_at(self, row: int) -> EntryVersion | None:
        return self._versions[row] if 0 <= row < len(self._versions) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._versions)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HistoryColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        version = self.version_at(index.row()) if index.isValid() else None
        if version is None:
            return None
        if role == HistoryRole.VERSION:
            return version
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        match HistoryColumn(index.column()):
            case HistoryColumn.VERSION:
                return str(version.version)
            case HistoryColumn.ACTION:
                return self._actions.get(version.action, version.action)
            case HistoryColumn.WHEN:
                return format_when(version.created_at)
            case HistoryColumn.AUTHOR:
                return version.author
            case HistoryColumn.VALUE:
                if version.action == "delete":
                    return "—"
                if version.value is not None:
                    return mask(version.value)
                return (
                    f"{mask(None)} · {version.fingerprint}" if version.fingerprint else mask(None)
                )
