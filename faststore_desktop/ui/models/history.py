"""The versions of one entry, newest first: when, who, what; text values masked."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt

from faststore_desktop.core.review import mask
from faststore_desktop.ui.formatting import format_when
from faststore_desktop.ui.models.table import RowListModel, translated
from faststore_desktop.webops.models import EntryVersion


class HistoryColumn(enum.IntEnum):
    VERSION = 0
    ACTION = 1
    WHEN = 2
    AUTHOR = 3
    VALUE = 4


class HistoryRole(enum.IntEnum):
    VERSION = Qt.ItemDataRole.UserRole + 1  # the EntryVersion


_HEADERS = (
    QT_TRANSLATE_NOOP("HistoryModel", "Version"),
    QT_TRANSLATE_NOOP("HistoryModel", "Change"),
    QT_TRANSLATE_NOOP("HistoryModel", "When"),
    QT_TRANSLATE_NOOP("HistoryModel", "By"),
    QT_TRANSLATE_NOOP("HistoryModel", "Value"),
)


class HistoryModel(RowListModel[EntryVersion, HistoryColumn]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(HistoryColumn, translated("HistoryModel", _HEADERS), parent)
        self._actions = {
            "create": self.tr("Created"),
            "update": self.tr("Updated"),
            "delete": self.tr("Deleted"),
            "rollback": self.tr("Restored"),
        }

    def set_versions(self, versions: Iterable[EntryVersion]) -> None:
        self.reset_rows(versions)

    def version_at(self, row: int) -> EntryVersion | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def cell(self, version: EntryVersion, column: HistoryColumn, role: int) -> Any:
        if role == HistoryRole.VERSION:
            return version
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        match column:
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
