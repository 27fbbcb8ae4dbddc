"""The keys a migration would import: where each comes from, its type, its value (masked)."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from faststore_desktop.core.entries import EntryType
from faststore_desktop.core.migration import MigrationItem, MigrationPlan
from faststore_desktop.core.review import DiffRow, mask
from faststore_desktop.core.validation import Severity
from faststore_desktop.ui.icons import icon

Index = QModelIndex | QPersistentModelIndex


class MigrationColumn(enum.IntEnum):
    KEY = 0
    SOURCE = 1
    SECRET = 2
    VALUE = 3
    CHECKS = 4


class MigrationRole(enum.IntEnum):
    ITEM = Qt.ItemDataRole.UserRole + 1  # the MigrationItem


class MigrationItemsModel(QAbstractTableModel):
    """One row per key of the legacy files; the Secret column is checkable for keys to import."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._plan: MigrationPlan | None = None
        self._items: list[MigrationItem] = []
        self._review: dict[str, DiffRow] = {}
        self._headers = [
            self.tr("Key"),
            self.tr("From"),
            self.tr("Secret"),
            self.tr("Value"),
            self.tr("Checks"),
        ]

    def set_plan(self, plan: MigrationPlan | None) -> None:
        self.beginResetModel()
        self._plan = plan
        self._items = list(plan.items) if plan else []
        self._review = {row.key: row for row in plan.review()} if plan else {}
        self.endResetModel()

    def plan_changed(self) -> None:
        """The plan's types or supplied values changed: refresh every cell."""
        self._review = {row.key: row for row in self._plan.review()} if self._plan else {}
        if self._items:
            last = self.index(len(self._items) - 1, len(MigrationColumn) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def item(self, row: int) -> MigrationItem:
        return self._items[row]

    # -- Qt model interface -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(MigrationColumn)

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

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        item = self._items[index.row()]
        if index.column() == MigrationColumn.SECRET and not item.already_in_webops:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._plan is None or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        column = MigrationColumn(index.column())
        if role == MigrationRole.ITEM:
            return item
        if role == Qt.ItemDataRole.CheckStateRole and column is MigrationColumn.SECRET:
            if item.already_in_webops:
                return None
            secret = self._plan.types[item.key] is EntryType.SECRET
            return Qt.CheckState.Checked if secret else Qt.CheckState.Unchecked
        review = self._review.get(item.key)
        if role == Qt.ItemDataRole.DecorationRole and column is MigrationColumn.CHECKS:
            return self._checks_icon(item, review)
        if role == Qt.ItemDataRole.ToolTipRole and column is MigrationColumn.CHECKS and review:
            return "\n".join(f.message for f in review.findings) or None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(item, column, review)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            self._plan is None
            or not index.isValid()
            or index.column() != MigrationColumn.SECRET
            or role != Qt.ItemDataRole.CheckStateRole
            or self._items[index.row()].already_in_webops
        ):
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        type = EntryType.SECRET if checked else EntryType.TEXT
        self._plan.set_type(self._items[index.row()].key, type)
        self.plan_changed()
        return True

    # -- helpers ------------------------------------------------------------------------------

    def _display(self, item: MigrationItem, column: MigrationColumn, review: DiffRow | None) -> str:
        assert self._plan is not None
        if column is MigrationColumn.KEY:
            return item.key
        if column is MigrationColumn.SOURCE:
            if item.in_revealed and item.in_hidden:
                return self.tr("both files")
            return "secrets.revealed.json" if item.in_revealed else "secrets.hidden.json"
        if column is MigrationColumn.VALUE:
            if item.already_in_webops:
                return self.tr("already in WebOps (kept)")
            value = self._plan.value_of(item.key)
            return mask(value) if value is not None else self.tr("needs a value")
        if column is MigrationColumn.CHECKS:
            if not item.already_in_webops and self._plan.value_of(item.key) is None:
                return self.tr("Double-click the value to enter it")
            if review is not None:
                return "; ".join(f.message for f in review.findings)
        return ""

    def _checks_icon(self, item: MigrationItem, review: DiffRow | None) -> Any:
        if item.already_in_webops:
            return icon("success")
        if self._plan is not None and self._plan.value_of(item.key) is None:
            return icon("info")
        if review is None or not review.findings:
            return icon("success")
        error = any(f.severity is Severity.ERROR for f in review.findings)
        return icon("error" if error else "warning")
