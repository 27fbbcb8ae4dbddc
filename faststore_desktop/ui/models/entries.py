"""The table of a store's variables and secrets, and the proxy that filters it.

Large stores (10,000 entries) stay smooth: the model is replaced with one reset, sorting is a
Python list sort in the model, and the proxy filters on the key column in C++ (a fixed string).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFontDatabase, QIcon

from faststore_desktop.core.entries import Entry
from faststore_desktop.ui.formatting import format_when
from faststore_desktop.ui.icons import icon

#: Shown instead of a value: the same width for every value, so the mask reveals no length.
MASK = "••••••••"

Index = QModelIndex | QPersistentModelIndex


class Column(enum.IntEnum):
    KEY = 0
    TYPE = 1
    VALUE = 2
    UPDATED = 3
    STATUS = 4
    ACTIONS = 5


class EntryRole(enum.IntEnum):
    ENTRY = Qt.ItemDataRole.UserRole + 1  # the Entry
    KEY = Qt.ItemDataRole.UserRole + 2  # str
    IS_SECRET = Qt.ItemDataRole.UserRole + 3  # bool
    IS_PENDING = Qt.ItemDataRole.UserRole + 4  # bool
    IS_REVEALED = Qt.ItemDataRole.UserRole + 5  # bool: a text value shown in clear


@dataclass(frozen=True, slots=True)
class _Row:
    entry: Entry
    pending: bool
    updated: str


class EntriesModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []
        self._row_of: dict[str, int] = {}
        self._revealed: set[str] = set()
        self._sort: tuple[int, Qt.SortOrder] = (Column.KEY, Qt.SortOrder.AscendingOrder)
        self._mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._secret_icon = icon("lock")
        self._text_icon = icon("text")
        self._pending_icon = icon("pending")
        self._live_icon = icon("live")
        self._headers = {
            Column.KEY: self.tr("Key"),
            Column.TYPE: self.tr("Type"),
            Column.VALUE: self.tr("Value"),
            Column.UPDATED: self.tr("Updated"),
            Column.STATUS: self.tr("Status"),
            Column.ACTIONS: "",
        }

    # -- content ------------------------------------------------------------------------------

    def set_entries(self, entries: Iterable[Entry], pending: Iterable[str]) -> None:
        """Replace everything in one reset (cheap for the view, whatever the size)."""
        pending_keys = frozenset(pending)
        self.beginResetModel()
        self._rows = [
            _Row(entry, entry.key in pending_keys, _updated_text(entry)) for entry in entries
        ]
        self._revealed &= {row.entry.key for row in self._rows if not row.entry.is_secret}
        self._sort_rows()
        self.endResetModel()

    def clear(self) -> None:
        self.set_entries((), ())

    def entries(self) -> list[Entry]:
        return [row.entry for row in self._rows]

    def entry(self, key: str) -> Entry | None:
        row = self._row_of.get(key)
        return None if row is None else self._rows[row].entry

    def row_of(self, key: str) -> int | None:
        return self._row_of.get(key)

    def pending_count(self) -> int:
        return sum(row.pending for row in self._rows)

    # -- reveal (text values only) ------------------------------------------------------------

    def set_revealed(self, key: str, revealed: bool) -> None:
        row = self._row_of.get(key)
        if row is None or self._rows[row].entry.is_secret:
            return
        if revealed:
            self._revealed.add(key)
        else:
            self._revealed.discard(key)
        cell = self.index(row, Column.VALUE)
        self.dataChanged.emit(cell, cell)

    def is_revealed(self, key: str) -> bool:
        return key in self._revealed

    # -- Qt model interface -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[Column(section)]
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return self._headers[Column(section)] or self.tr("Actions")
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(row, column, role)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._decoration(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.FontRole and column in (Column.KEY, Column.VALUE):
            return self._mono
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.ACTIONS:
            return Qt.AlignmentFlag.AlignCenter
        return self._custom(row, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Column) or column == Column.ACTIONS:
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        keys = [self._rows[index.row()].entry.key for index in before]
        self._sort_rows()
        after = [
            self.index(self._row_of[key], index.column())
            for key, index in zip(keys, before, strict=True)
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    # -- helpers ------------------------------------------------------------------------------

    def _display(self, row: _Row, column: Column, role: int) -> str:
        entry = row.entry
        match column:
            case Column.KEY:
                return entry.key
            case Column.TYPE:
                return self.tr("Secret") if entry.is_secret else self.tr("Text")
            case Column.VALUE:
                if entry.key in self._revealed and entry.value is not None:
                    return entry.value.replace("\n", " ⏎ ")
                if role == Qt.ItemDataRole.AccessibleTextRole:
                    return self.tr("Hidden value")
                return MASK
            case Column.UPDATED:
                return row.updated
            case Column.STATUS:
                return self.tr("Pending redeploy") if row.pending else self.tr("Live")
            case Column.ACTIONS:
                if role == Qt.ItemDataRole.AccessibleTextRole:
                    return self.tr("Actions for %s") % entry.key
                return "⋮"

    def _decoration(self, row: _Row, column: Column) -> QIcon | None:
        if column == Column.TYPE:
            return self._secret_icon if row.entry.is_secret else self._text_icon
        if column == Column.STATUS:
            return self._pending_icon if row.pending else self._live_icon
        return None

    def _tooltip(self, row: _Row, column: Column) -> str | None:
        if column == Column.VALUE:
            if row.entry.is_secret:
                return self.tr("Secret values are write-only: they can't be shown again.")
            return self.tr("Choose Show value in the ⋮ menu (or press Space) to see it.")
        if column == Column.STATUS and row.pending:
            return self.tr("Changed since the last successful deployment.")
        if column == Column.ACTIONS:
            return self.tr("Actions")
        return None

    def _custom(self, row: _Row, role: int) -> Any:
        match role:
            case EntryRole.ENTRY:
                return row.entry
            case EntryRole.KEY:
                return row.entry.key
            case EntryRole.IS_SECRET:
                return row.entry.is_secret
            case EntryRole.IS_PENDING:
                return row.pending
            case EntryRole.IS_REVEALED:
                return row.entry.key in self._revealed
        return None

    def _sort_rows(self) -> None:
        column, order = self._sort
        self._rows.sort(
            key=_sort_key(Column(column)), reverse=order == Qt.SortOrder.DescendingOrder
        )
        self._row_of = {row.entry.key: i for i, row in enumerate(self._rows)}


def _sort_key(column: Column) -> Any:
    match column:
        case Column.TYPE:
            return lambda row: (row.entry.type.value, row.entry.key.casefold())
        case Column.UPDATED:
            return lambda row: (row.entry.updated_at, row.entry.key.casefold())
        case Column.STATUS:
            return lambda row: (not row.pending, row.entry.key.casefold())
        case _:  # values are never a sort key: sorting must not hint at a hidden value
            return lambda row: row.entry.key.casefold()


def _updated_text(entry: Entry) -> str:
    return f"{format_when(entry.updated_at)} · {entry.author}"


class EntriesFilter(QSortFilterProxyModel):
    """Filters by key (case-insensitive substring); sorting is delegated to the source model."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setFilterKeyColumn(Column.KEY)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_text(self, text: str) -> None:
        self.setFilterFixedString(text.strip())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    def entry_at(self, index: QModelIndex) -> Entry | None:
        value = index.siblingAtColumn(Column.KEY).data(EntryRole.ENTRY)
        return value if isinstance(value, Entry) else None

    def keys(self, indexes: Sequence[QModelIndex]) -> list[str]:
        return sorted({str(index.data(EntryRole.KEY)) for index in indexes if index.isValid()})
