"""The audit trail as a table: who did what, to which key, when. It never holds a value."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QSortFilterProxyModel, Qt

from faststore_desktop.ui.models.durations import format_moment, format_moment_long
from faststore_desktop.ui.models.table import Index, RowListModel, translated
from faststore_desktop.webops.models import AuditRecord


class ActivityColumn(enum.IntEnum):
    WHEN = 0
    WHO = 1
    WHAT = 2
    KEY = 3
    DETAIL = 4


class ActivityKind(enum.StrEnum):
    """What a record is about: the prefix of its action."""

    ENTRY = "entry"
    DEPLOYMENT = "deployment"
    STORE = "store"


_HEADERS = (
    QT_TRANSLATE_NOOP("ActivityModel", "When"),
    QT_TRANSLATE_NOOP("ActivityModel", "Who"),
    QT_TRANSLATE_NOOP("ActivityModel", "What"),
    QT_TRANSLATE_NOOP("ActivityModel", "Key"),
    QT_TRANSLATE_NOOP("ActivityModel", "Detail"),
)

_ACTIONS = {
    "entry.create": str(QT_TRANSLATE_NOOP("ActivityModel", "Added")),
    "entry.update": str(QT_TRANSLATE_NOOP("ActivityModel", "Updated")),
    "entry.delete": str(QT_TRANSLATE_NOOP("ActivityModel", "Deleted")),
    "entry.rollback": str(QT_TRANSLATE_NOOP("ActivityModel", "Restored a version")),
    "deployment.create": str(QT_TRANSLATE_NOOP("ActivityModel", "Redeployed")),
    "deployment.rerun": str(QT_TRANSLATE_NOOP("ActivityModel", "Reran a deployment")),
    "deployment.cancel": str(QT_TRANSLATE_NOOP("ActivityModel", "Canceled a deployment")),
    "store.create": str(QT_TRANSLATE_NOOP("ActivityModel", "Created the store")),
    "store.configure": str(QT_TRANSLATE_NOOP("ActivityModel", "Changed the store settings")),
}


def action_text(action: str) -> str:
    """The action in words; an action this version does not know is shown as recorded."""
    known = _ACTIONS.get(action)
    return QCoreApplication.translate("ActivityModel", known) if known else action


def action_kind(action: str) -> ActivityKind | None:
    prefix = action.partition(".")[0]
    return ActivityKind(prefix) if prefix in set(ActivityKind) else None


class ActivityModel(RowListModel[AuditRecord, ActivityColumn]):
    """Audit records newest first, loaded page by page (`append_records`)."""

    #: The `AuditRecord` itself.
    RecordRole = Qt.ItemDataRole.UserRole + 1
    #: Its `ActivityKind` (or None for an unknown action).
    KindRole = Qt.ItemDataRole.UserRole + 2
    #: All the words a filter matches against (actor, action, key, detail).
    SearchTextRole = Qt.ItemDataRole.UserRole + 3

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(ActivityColumn, translated("ActivityModel", _HEADERS), parent)
        self._ids: set[int] = set()

    def cell(self, record: AuditRecord, column: ActivityColumn, role: int) -> Any:
        if role == self.RecordRole:
            return record
        if role == self.KindRole:
            return action_kind(record.action)
        if role == self.SearchTextRole:
            return " ".join(
                (record.actor, action_text(record.action), record.key or "", record.detail)
            )
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is ActivityColumn.WHEN:
                return format_moment_long(record.at)
            if column is ActivityColumn.DETAIL and record.detail:
                return record.detail
        return None

    def set_records(self, records: Sequence[AuditRecord]) -> None:
        if [r.id for r in records] == [r.id for r in self._rows]:
            return
        with self.resetting():
            self._rows = list(records)
            self._ids = {r.id for r in records}

    def append_records(self, records: Sequence[AuditRecord]) -> int:
        """Add an older page; records already shown are skipped. Returns how many were added."""
        fresh = [r for r in records if r.id not in self._ids]
        self._ids.update(r.id for r in fresh)
        self.append_rows(fresh)
        return len(fresh)

    def record(self, row: int) -> AuditRecord:
        return self._rows[row]

    def _display(self, record: AuditRecord, column: ActivityColumn) -> str:
        match column:
            case ActivityColumn.WHEN:
                return format_moment(record.at)
            case ActivityColumn.WHO:
                return record.actor
            case ActivityColumn.WHAT:
                return action_text(record.action)
            case ActivityColumn.KEY:
                return record.key or ""
            case ActivityColumn.DETAIL:
                return record.detail


class ActivityFilter(QSortFilterProxyModel):
    """Narrows loaded records by kind and by words (any order, case-insensitive)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kind: ActivityKind | None = None
        self._words: tuple[str, ...] = ()

    def set_kind(self, kind: ActivityKind | None) -> None:
        self.beginFilterChange()
        self._kind = kind
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = tuple(text.casefold().split())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if self._kind is not None and model.data(index, ActivityModel.KindRole) != self._kind:
            return False
        haystack = str(model.data(index, ActivityModel.SearchTextRole)).casefold()
        return all(word in haystack for word in self._words)
