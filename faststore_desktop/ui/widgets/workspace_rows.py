"""A read-only table model of prepared rows, for the workspace views' result lists.

The checks, compare, code-check and leak-scan results are computed in core; each view turns
them into `Row`s (display text per column, a tone, and the core object behind the row), so
they all share one model class.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt

from faststore_desktop.ui.icons import icon
from faststore_desktop.ui.models.table import RowListModel


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


class RowsModel(RowListModel[Row, int]):
    """Rows replaced as a whole; the first column carries the tone's icon."""

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(int, headers, parent)

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.reset_rows(rows)

    def row(self, number: int) -> Row:
        return self._rows[number]

    def cell(self, row: Row, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.cells[column] if column < len(row.cells) else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip or None
        if role == Qt.ItemDataRole.DecorationRole and column == 0 and row.tone:
            return icon(row.tone.value)
        if role == RowRole.PAYLOAD:
            return row.payload
        if role == RowRole.TONE:
            return row.tone.value if row.tone else None
        return None
