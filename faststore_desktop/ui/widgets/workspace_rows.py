"""A read-only table model of prepared rows, for the workspace views' result lists.

The checks, compare, code-check and leak-scan results are computed in core; each view turns
them into `Row`s (display text per column, a tone, and the core object behind the row), so
they all share one model class instead of five copies of the same boilerplate.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from faststore_desktop.ui.icons import icon

Index = QModelIndex | QPersistentModelIndex


class Tone(enum.StrEnum):
    OK = "success"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class RowRole(enum.IntEnum):
    #: The core object the row shows (a finding, a compare row, ...).
    PAYLOAD = Qt.ItemDataRole.UserRole + 1
    TONE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[str, ...]
    payload: object = None
    tone: Tone | None = None
    tooltip: str = ""


class RowsModel(QAbstractTableModel):
    """Rows replaced as a whole; the first column carries the tone's icon."""

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, number: int) -> Row:
        return self._rows[number]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
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
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.cells[index.column()] if index.column() < len(row.cells) else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip or None
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0 and row.tone:
            return icon(row.tone.value)
        if role == RowRole.PAYLOAD:
            return row.payload
        if role == RowRole.TONE:
            return row.tone.value if row.tone else None
        return None
