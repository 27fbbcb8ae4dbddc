"""vtex.env as a table of keys and values, editing the document through the core's writer.

Every edit goes through `DotenvDocument.set/remove`, so comments, order, blank lines and lines
the parser does not understand survive, and the raw text view always shows what would be saved.
Values are masked (length and fingerprint) unless the user asks to see them.
"""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, Signal

from faststore_desktop.core.dotenv import DotenvDocument, DotenvError, parse_dotenv
from faststore_desktop.core.review import mask
from faststore_desktop.ui.models.table import Index, RowListModel, translated


class DotenvColumn(enum.IntEnum):
    KEY = 0
    VALUE = 1


class DotenvRole(enum.IntEnum):
    KEY = Qt.ItemDataRole.UserRole + 1


_HEADERS = (
    QT_TRANSLATE_NOOP("DotenvTableModel", "Key"),
    QT_TRANSLATE_NOOP("DotenvTableModel", "Value"),
)


class DotenvTableModel(RowListModel[str, DotenvColumn]):
    """One row per key (a str), in the order of the file."""

    #: The document changed through the table (the raw text view follows it).
    edited = Signal()
    #: An edit was refused; the message names the key, never the value.
    editFailed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(DotenvColumn, translated("DotenvTableModel", _HEADERS), parent)
        self._document = parse_dotenv("")
        self._values: dict[str, str] = {}
        self._show_values = False

    # -- content ------------------------------------------------------------------------------

    @property
    def document(self) -> DotenvDocument:
        return self._document

    def set_document(self, document: DotenvDocument) -> None:
        with self.resetting():
            self._document = document
            self._values = document.values()
            self._rows = list(self._values)

    def set_values_visible(self, visible: bool) -> None:
        self._show_values = visible
        self.cells_changed(DotenvColumn.VALUE)

    def key_at(self, row: int) -> str:
        return self._rows[row]

    def set_value(self, key: str, value: str) -> bool:
        return self._edit(lambda document: document.set(key, value))

    def remove_key(self, key: str) -> bool:
        return self._edit(lambda document: document.remove(key))

    def rename_key(self, old: str, new: str) -> bool:
        value = self._values[old]

        def rename(document: DotenvDocument) -> None:
            document.set(new, value)
            document.remove(old)

        return self._edit(rename)

    def _edit(self, change: Any) -> bool:
        # Edit a copy: a refused edit must leave the shown document as it was.
        candidate = parse_dotenv(self._document.render())
        try:
            change(candidate)
        except DotenvError as error:
            self.editFailed.emit(error.message)
            return False
        self.set_document(candidate)
        self.edited.emit()
        return True

    # -- Qt model interface -------------------------------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def cell(self, key: str, column: DotenvColumn, role: int) -> Any:
        if role == DotenvRole.KEY:
            return key
        if role == Qt.ItemDataRole.EditRole:
            return key if column is DotenvColumn.KEY else self._values[key]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column is DotenvColumn.KEY:
                return key
            value = self._values[key]
            return value if self._show_values else mask(value)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or not isinstance(value, str):
            return False
        key = self._rows[index.row()]
        if index.column() == DotenvColumn.KEY:
            return value == key or self.rename_key(key, value.strip())
        return self.set_value(key, value)
