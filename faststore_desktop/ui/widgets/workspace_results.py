"""A page of results: a one-line summary, an action button, and a table of rows."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from faststore_desktop.ui.widgets.read_only_table import read_only_table
from faststore_desktop.ui.widgets.workspace_rows import Row, RowRole, RowsModel


class ResultsPage(QWidget):
    def __init__(
        self,
        name: str,
        title: str,
        headers: Sequence[str],
        action: str,
        parent: QWidget | None = None,
        *,
        stretch_column: int,
        wrap: bool = False,
    ) -> None:
        """`wrap`: long texts (messages listing commits) wrap inside taller rows."""
        super().__init__(parent)
        self.setObjectName(name)
        self.model = RowsModel(headers, self)
        self.table = read_only_table(
            f"{name}Table", title, self.model, self, stretch_column=stretch_column
        )
        if wrap:
            self.table.setProperty("wrappedRows", True)  # padded rows: see app.qss
            self.table.setWordWrap(True)
            self.table.verticalHeader().setSectionResizeMode(
                QHeaderView.ResizeMode.ResizeToContents
            )
        self.summary = QLabel(self)
        self.summary.setObjectName(f"{name}Summary")
        self.summary.setWordWrap(True)
        self.button = QPushButton(action, self)
        self.button.setObjectName(f"{name}Action")
        self.extra = QHBoxLayout()
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addLayout(self.extra)
        top.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def show_rows(self, rows: Sequence[Row], summary: str) -> None:
        self.model.set_rows(rows)
        self.summary.setText(summary)

    def selected_payload(self) -> object:
        indexes = self.table.selectionModel().selectedRows()
        return indexes[0].data(RowRole.PAYLOAD) if indexes else None
