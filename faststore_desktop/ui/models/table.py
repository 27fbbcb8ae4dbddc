"""The shape every table model of the app shares: a list of rows shown under fixed columns.

A model says what its columns are (a column type such as an `IntEnum`, and one header each) and
what a cell holds (`cell`); the row list, the counts, the headers and the signals Qt expects when
rows come, go or change are here, once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

Index = QModelIndex | QPersistentModelIndex
RowT = TypeVar("RowT")
ColumnT = TypeVar("ColumnT", bound=int)


def translated(context: str, texts: Iterable[object]) -> list[str]:
    """Texts marked with QT_TRANSLATE_NOOP(context, ...), in the user's language."""
    return [QCoreApplication.translate(context, str(text)) for text in texts]


class RowListModel(QAbstractTableModel, Generic[RowT, ColumnT]):
    """Rows of `RowT`; `column` turns a column number into the model's column (an IntEnum, int)."""

    def __init__(
        self,
        column: Callable[[int], ColumnT],
        headers: Sequence[str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._column = column
        self._headers = tuple(headers)
        self._rows: list[RowT] = []

    # -- what a subclass says -----------------------------------------------------------------

    def cell(self, row: RowT, column: ColumnT, role: int) -> Any:
        """What `row` shows in `column` for `role` (None: nothing)."""
        raise NotImplementedError

    # -- Qt model interface -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._headers)

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
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self.cell(self._rows[index.row()], self._column(index.column()), role)

    # -- changing the rows --------------------------------------------------------------------

    @contextmanager
    def resetting(self) -> Iterator[None]:
        """Change the rows and what they depend on at will inside; views start over after."""
        self.beginResetModel()
        try:
            yield
        finally:
            self.endResetModel()

    def reset_rows(self, rows: Iterable[RowT]) -> None:
        with self.resetting():
            self._rows = list(rows)

    def insert_rows(self, first: int, rows: Sequence[RowT]) -> None:
        if rows:
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows[first:first] = rows
            self.endInsertRows()

    def append_rows(self, rows: Sequence[RowT]) -> None:
        self.insert_rows(len(self._rows), rows)

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()

    def replace_row(self, row: int, new: RowT) -> None:
        """Put `new` in place of row `row`, so selections and scroll positions stay."""
        if self._rows[row] != new:
            self._rows[row] = new
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._headers) - 1))

    def column_changed(self, column: int, where: Callable[[RowT], bool]) -> None:
        """The text of `column` moved (a clock, say) in the rows `where` says."""
        for row, item in enumerate(self._rows):
            if where(item):
                cell = self.index(row, column)
                self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DisplayRole])

    def cells_changed(self, first_column: int = 0) -> None:
        """Every cell from `first_column` on may show something else (a setting changed)."""
        if self._rows:
            last = self.index(len(self._rows) - 1, len(self._headers) - 1)
            self.dataChanged.emit(self.index(0, first_column), last)
