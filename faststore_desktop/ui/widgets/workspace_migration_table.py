"""The keys a migration would import: where each comes from, its type, its value (masked)."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt

from faststore_desktop.core.entries import EntryType
from faststore_desktop.core.migration import MigrationItem, MigrationPlan
from faststore_desktop.core.review import DiffRow, mask
from faststore_desktop.core.validation import Severity
from faststore_desktop.ui.icons import icon
from faststore_desktop.ui.models.table import Index, RowListModel, translated


class MigrationColumn(enum.IntEnum):
    KEY = 0
    SOURCE = 1
    SECRET = 2
    VALUE = 3
    CHECKS = 4


class MigrationRole(enum.IntEnum):
    ITEM = Qt.ItemDataRole.UserRole + 1  # the MigrationItem


_HEADERS = (
    QT_TRANSLATE_NOOP("MigrationItemsModel", "Key"),
    QT_TRANSLATE_NOOP("MigrationItemsModel", "From"),
    QT_TRANSLATE_NOOP("MigrationItemsModel", "Secret"),
    QT_TRANSLATE_NOOP("MigrationItemsModel", "Value"),
    QT_TRANSLATE_NOOP("MigrationItemsModel", "Checks"),
)


class MigrationItemsModel(RowListModel[MigrationItem, MigrationColumn]):
    """One row per key of the legacy files; the Secret column is checkable for keys to import."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(MigrationColumn, translated("MigrationItemsModel", _HEADERS), parent)
        self._plan: MigrationPlan | None = None
        self._review: dict[str, DiffRow] = {}

    def set_plan(self, plan: MigrationPlan | None) -> None:
        with self.resetting():
            self._plan = plan
            self._rows = list(plan.items) if plan else []
            self._review = {row.key: row for row in plan.review()} if plan else {}

    def plan_changed(self) -> None:
        """The plan's types or supplied values changed: refresh every cell."""
        self._review = {row.key: row for row in self._plan.review()} if self._plan else {}
        self.cells_changed()

    def item(self, row: int) -> MigrationItem:
        return self._rows[row]

    # -- Qt model interface -------------------------------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        item = self._rows[index.row()]
        if index.column() == MigrationColumn.SECRET and not item.already_in_webops:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def cell(self, item: MigrationItem, column: MigrationColumn, role: int) -> Any:
        if self._plan is None:
            return None
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
            or self._rows[index.row()].already_in_webops
        ):
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        type = EntryType.SECRET if checked else EntryType.TEXT
        self._plan.set_type(self._rows[index.row()].key, type)
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
