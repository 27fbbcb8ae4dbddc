"""The table of a store's variables and secrets, and the proxy that filters it.

Large stores (10,000 entries) stay smooth: the model is replaced with one reset, sorting is a
Python list sort in the model, and so is filtering: a proxy filtering a Python model calls data()
once per row for every keystroke (about 100 ms over 10,000 rows), a list comprehension over
folded keys takes about 1 ms. The proxy hands filter text and sorting to the model.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
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
#: A filter change touching more runs of rows than this becomes one reset (fewer signals).
MAX_ROW_RUNS = 64


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
    #: The key as the filter compares it.
    folded: str


class EntriesModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: Every entry, sorted; `_rows` is the part the filter lets through, in the same order.
        self._all: list[_Row] = []
        self._rows: list[_Row] = []
        self._row_of: dict[str, int] | None = {}  # built when first asked for
        self._entry_of: dict[str, Entry] = {}
        self._needle = ""
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
        self._all = [
            _Row(entry, entry.key in pending_keys, entry.key.casefold()) for entry in entries
        ]
        self._entry_of = {row.entry.key: row.entry for row in self._all}
        self._revealed &= {row.entry.key for row in self._all if not row.entry.is_secret}
        self._all.sort(key=self._sort_key(), reverse=self._descending())
        self._rows = self._passing()
        self._index_rows()
        self.endResetModel()

    def clear(self) -> None:
        self.set_entries((), ())

    def entries(self) -> list[Entry]:
        """Every entry, filtered out or not."""
        return [row.entry for row in self._all]

    def entry(self, key: str) -> Entry | None:
        return self._entry_of.get(key)

    def row_of(self, key: str) -> int | None:
        """The row of `key`; None when it does not exist or the filter hides it."""
        if self._row_of is None:
            self._row_of = {row.entry.key: i for i, row in enumerate(self._rows)}
        return self._row_of.get(key)

    def pending_count(self) -> int:
        return sum(row.pending for row in self._all)

    def total_count(self) -> int:
        """How many entries there are, the filter notwithstanding (rowCount() is what it shows)."""
        return len(self._all)

    # -- filter -------------------------------------------------------------------------------

    def set_filter(self, text: str) -> None:
        """Show the keys containing `text` (case-insensitive). Rows that stay keep their indexes
        (and so the selection); a change in many scattered places is one reset instead."""
        needle = text.strip().casefold()
        if needle == self._needle:
            return
        narrowing, widening = self._needle in needle, needle in self._needle
        self._needle = needle
        wanted = self._passing(self._rows if narrowing else self._all)
        if len(wanted) == len(self._rows) and (narrowing or widening):
            return  # the same rows
        removed = [] if widening else _runs(_missing(self._rows, wanted))
        added = [] if narrowing else _runs(_missing(wanted, self._rows))
        if len(removed) + len(added) > MAX_ROW_RUNS:
            self.beginResetModel()
            self._rows = wanted
            self._index_rows()
            self.endResetModel()
            return
        for first, last in reversed(removed):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first : last + 1]
            self.endRemoveRows()
        for first, last in added:  # ascending: every row before `first` is in place already
            self.beginInsertRows(QModelIndex(), first, last)
            self._rows[first:first] = wanted[first : last + 1]
            self.endInsertRows()
        self._index_rows()

    def _passing(self, rows: list[_Row] | None = None) -> list[_Row]:
        """The rows of `rows` (by default all) the filter lets through."""
        needle, rows = self._needle, self._all if rows is None else rows
        return [row for row in rows if needle in row.folded] if needle else list(rows)

    # -- reveal (text values only) ------------------------------------------------------------

    def set_revealed(self, key: str, revealed: bool) -> None:
        row = self.row_of(key)
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
        # Painting asks each cell for a dozen roles; most are not ours: answer those first.
        if role not in _ANSWERED_ROLES or not index.isValid():
            return None
        if not 0 <= index.row() < len(self._rows):
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
        self._all.sort(key=self._sort_key(), reverse=self._descending())
        self._rows = self._passing()
        self._index_rows()
        row_of = {row.entry.key: i for i, row in enumerate(self._rows)}
        after = [
            self.index(row_of[key], index.column()) for key, index in zip(keys, before, strict=True)
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
            case Column.UPDATED:  # formatted when shown: 10,000 dates cost ~100 ms up front
                return _updated_text(entry)
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

    def _sort_key(self) -> Any:
        return _sort_key(Column(self._sort[0]))

    def _descending(self) -> bool:
        return self._sort[1] == Qt.SortOrder.DescendingOrder

    def _index_rows(self) -> None:
        self._row_of = None  # rows moved: row_of() indexes them again when asked


def _sort_key(column: Column) -> Any:
    match column:
        case Column.TYPE:
            return lambda row: (row.entry.type.value, row.folded)
        case Column.UPDATED:
            return lambda row: (row.entry.updated_at, row.folded)
        case Column.STATUS:
            return lambda row: (not row.pending, row.folded)
        case _:  # values are never a sort key: sorting must not hint at a hidden value
            return lambda row: row.folded


def _updated_text(entry: Entry) -> str:
    return f"{format_when(entry.updated_at)} · {entry.author}"


def _missing(rows: list[_Row], others: list[_Row]) -> list[int]:
    """Positions in `rows` of the rows not in `others` (rows are compared by identity)."""
    present = set(map(id, others))
    return [i for i, row in enumerate(rows) if id(row) not in present]


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Ascending row numbers as (first, last) runs of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


_ANSWERED_ROLES = frozenset(
    int(role)
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.TextAlignmentRole,
        *EntryRole,
    )
)


class EntriesFilter(QSortFilterProxyModel):
    """Filters by key (case-insensitive substring); filtering and sorting are the source model's."""

    def set_text(self, text: str) -> None:
        source = self.sourceModel()
        if isinstance(source, EntriesModel):
            source.set_filter(text)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    def entry_at(self, index: QModelIndex) -> Entry | None:
        value = index.siblingAtColumn(Column.KEY).data(EntryRole.ENTRY)
        return value if isinstance(value, Entry) else None
