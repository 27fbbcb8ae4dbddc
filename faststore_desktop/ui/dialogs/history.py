"""The versions of an entry, with "Restore this version"."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from faststore_desktop.core.entries import Entry
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.dialogs.run import show_failure
from faststore_desktop.ui.entry_actions import ActionFailed, EntryActions
from faststore_desktop.ui.models.history import HistoryColumn, HistoryModel
from faststore_desktop.ui.retry import failure_text, retry_transient
from faststore_desktop.ui.tasks import reporting, spawn
from faststore_desktop.webops.errors import WebOpsError


class HistoryDialog(QDialog):
    def __init__(
        self, context: StoreContext, actions: EntryActions, entry: Entry, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle(self.tr("History of %s") % entry.key)
        self.resize(680, 380)
        self._context = context
        self._actions = actions
        self.entry = entry
        self.model = HistoryModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Versions"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.horizontalHeader().setSectionResizeMode(
            HistoryColumn.VALUE, QHeaderView.ResizeMode.Stretch
        )
        self.status = QLabel(self.tr("Loading…"), self)
        self.status.setObjectName("secondary")
        self.restore_button = QPushButton(self.tr("Restore this version"), self)
        self.restore_button.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(lambda: spawn(self.restore_selected()))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        spawn(self.load())

    async def load(self) -> None:
        webops, store = self._context.require()
        self.status.setProperty("kind", "")
        with reporting(self._load_failed):
            versions = await retry_transient(lambda: webops.entry_history(store.id, self.entry.key))
            self.model.set_versions(versions)
            self.status.setText(
                self.tr(
                    "%n version(s). Text values are masked; secrets are never shown.",
                    "",
                    len(versions),
                )
            )
            self.table.resizeColumnsToContents()
        self.status.style().polish(self.status)

    def _load_failed(self, error: WebOpsError) -> None:
        """Said where the count of versions goes; the versions shown before (if any) stay."""
        message, details = failure_text(error)
        text = self.tr("Could not load the versions: %s") % message
        self.status.setText(f"{text}\n{details}" if details else text)
        self.status.setProperty("kind", "error")

    def _selection_changed(self) -> None:
        version = self.model.version_at(self.table.currentIndex().row())
        self.restore_button.setEnabled(
            version is not None and version.action != "delete" and version.version != self._latest()
        )

    def _latest(self) -> int:
        latest = self.model.version_at(0)
        return latest.version if latest is not None else 0

    async def restore_selected(self) -> None:
        version = self.model.version_at(self.table.currentIndex().row())
        if version is None:
            return
        latest = self.model.version_at(0)
        expected = None if latest is None or latest.action == "delete" else latest.version
        self.restore_button.setEnabled(False)
        try:
            await self._actions.restore(self.entry.key, version.version, expected_version=expected)
        except ActionFailed as failure:
            await show_failure(self, failure.message, failure.details)
        except WebOpsError as error:
            await show_failure(self, error.message, "")
        await self.load()
