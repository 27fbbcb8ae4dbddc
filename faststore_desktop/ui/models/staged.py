"""A staged bulk change set, reviewed as a masked diff with every lint, type chosen per key."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt

from faststore_desktop.core.changeset import ChangeSet, OpKind, create, update
from faststore_desktop.core.entries import Entry, EntryType
from faststore_desktop.core.review import DiffRow, review
from faststore_desktop.core.validation import Finding, Severity, looks_sensitive
from faststore_desktop.ui.icons import icon
from faststore_desktop.ui.models.table import Index, RowListModel, translated


class StagedColumn(enum.IntEnum):
    KEY = 0
    CHANGE = 1
    SECRET = 2
    BEFORE = 3
    AFTER = 4
    CHECKS = 5


class StagedRole(enum.IntEnum):
    ROW = Qt.ItemDataRole.UserRole + 1  # the DiffRow


_HEADERS = (
    QT_TRANSLATE_NOOP("StagedModel", "Key"),
    QT_TRANSLATE_NOOP("StagedModel", "Change"),
    QT_TRANSLATE_NOOP("StagedModel", "Secret"),
    QT_TRANSLATE_NOOP("StagedModel", "Before"),
    QT_TRANSLATE_NOOP("StagedModel", "After"),
    QT_TRANSLATE_NOOP("StagedModel", "Checks"),
)


class StagedModel(RowListModel[DiffRow, StagedColumn]):
    """Rows are the keys a bulk edit would change; text values equal to the stored ones are
    left out (counted in `unchanged`). The Secret column is checkable."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(StagedColumn, translated("StagedModel", _HEADERS), parent)
        self._current: dict[str, Entry] = {}
        self._values: dict[str, str] = {}
        self._types: dict[str, EntryType] = {}
        self._changes = ChangeSet()
        self.unchanged = 0
        self._kinds = {
            OpKind.CREATE: self.tr("New"),
            OpKind.UPDATE: self.tr("Update"),
            OpKind.DELETE: self.tr("Delete"),
        }

    # -- content ------------------------------------------------------------------------------

    def stage(self, values: Mapping[str, str], current: Iterable[Entry]) -> None:
        self._current = {entry.key: entry for entry in current}
        self._values = dict(values)
        self._types = {key: self._default_type(key) for key in self._values}
        self._restage()

    def set_type(self, key: str, type: EntryType) -> None:
        if key in self._types:
            self._types[key] = type
            self._restage()

    def changes(self) -> ChangeSet:
        return self._changes

    def rows(self) -> list[DiffRow]:
        return list(self._rows)

    def findings(self) -> list[Finding]:
        return [finding for row in self._rows for finding in row.findings]

    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings())

    # -- Qt model interface -------------------------------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == StagedColumn.SECRET:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def cell(self, row: DiffRow, column: StagedColumn, role: int) -> Any:
        if role == StagedRole.ROW:
            return row
        if role == Qt.ItemDataRole.CheckStateRole and column == StagedColumn.SECRET:
            secret = self._types[row.key] is EntryType.SECRET
            return Qt.CheckState.Checked if secret else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole and column == StagedColumn.CHECKS:
            return self._severity_icon(row)
        if role == Qt.ItemDataRole.ToolTipRole and column == StagedColumn.CHECKS:
            return "\n".join(finding.message for finding in row.findings) or None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(row, column)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            not index.isValid()
            or index.column() != StagedColumn.SECRET
            or role != Qt.ItemDataRole.CheckStateRole
        ):
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        self.set_type(self._rows[index.row()].key, EntryType.SECRET if checked else EntryType.TEXT)
        return True

    # -- helpers ------------------------------------------------------------------------------

    def _display(self, row: DiffRow, column: StagedColumn) -> str:
        match column:
            case StagedColumn.KEY:
                return row.key
            case StagedColumn.CHANGE:
                return self._kinds[row.kind]
            case StagedColumn.SECRET:
                return ""
            case StagedColumn.BEFORE:
                return row.before or "—"
            case StagedColumn.AFTER:
                return row.after or "—"
            case StagedColumn.CHECKS:
                errors = sum(f.severity is Severity.ERROR for f in row.findings)
                warnings = len(row.findings) - errors
                if errors:
                    return self.tr("%n error(s)", "", errors)
                if warnings:
                    return self.tr("%n warning(s)", "", warnings)
                return self.tr("OK")

    @staticmethod
    def _severity_icon(row: DiffRow) -> Any:
        if any(f.severity is Severity.ERROR for f in row.findings):
            return icon("error")
        return icon("warning") if row.findings else icon("success")

    def _default_type(self, key: str) -> EntryType:
        stored = self._current.get(key)
        if stored is not None:
            return stored.type
        return EntryType.SECRET if looks_sensitive(key) else EntryType.TEXT

    def _restage(self) -> None:
        with self.resetting():
            self._changes = self._build_changes()
            self._rows = review(self._changes, self._current)

    def _build_changes(self) -> ChangeSet:
        changes = ChangeSet()
        self.unchanged = 0
        for key, value in self._values.items():
            stored, type = self._current.get(key), self._types[key]
            if stored is None:
                changes.add(create(key, type, value))
            elif stored.type is type and stored.value == value:
                self.unchanged += 1
            else:
                changes.add(update(key, value, stored.version, type))
        return changes
