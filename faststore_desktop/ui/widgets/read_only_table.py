"""The read-only, row-selecting table every list of the Deploys and Activity views uses."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


def read_only_table(
    name: str,
    accessible_name: str,
    model: QAbstractItemModel,
    parent: QWidget,
    *,
    stretch_column: int,
) -> QTableView:
    """A table showing whole rows, one selected at a time, columns sized to their contents."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setAccessibleName(accessible_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    return table


def add_table_action(
    table: QTableView,
    text: str,
    shortcut: QKeySequence.StandardKey | None,
    slot: Callable[[], None],
) -> QAction:
    """An action of the table's context menu (right-click, the Menu key) on the selected row;
    its shortcut works while the table has the focus."""
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    action = QAction(text, table)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    action.triggered.connect(slot)
    table.addAction(action)
    return action
