"""Bulk edit: paste .env text or open a file, review the staged changes, apply them at once."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from faststore_desktop.core.entries import Entry
from faststore_desktop.core.validation import Finding, Severity
from faststore_desktop.ui.bulk_input import read_bulk_text
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.dialogs.run import confirm, run_dialog
from faststore_desktop.ui.entry_actions import ActionFailed, EntryActions
from faststore_desktop.ui.models.staged import StagedColumn, StagedModel
from faststore_desktop.ui.retry import reason_of, retry_transient
from faststore_desktop.ui.tasks import reporting, spawn
from faststore_desktop.ui.widgets.lint_list import LintList
from faststore_desktop.webops.errors import ConflictError, WebOpsError

_PARSE_DELAY_MS = 200
_FILE_PATTERNS = "vtex.env .env *.env secrets.revealed.json *.json"


class BulkEditDialog(QDialog):
    def __init__(
        self,
        context: StoreContext,
        actions: EntryActions,
        current: Sequence[Entry],
        parent: QWidget | None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bulkEditDialog")
        self.setWindowTitle(self.tr("Bulk edit"))
        self.resize(900, 620)
        self._context = context
        self._actions = actions
        self._current = list(current)
        self._source_name = ""
        self._source_findings: tuple[Finding, ...] = ()
        #: Set when the user chose "Apply and redeploy" and the apply succeeded.
        self.redeploy_after = False

        self.input = QPlainTextEdit(self)
        self.input.setAccessibleName(self.tr("Text to import"))
        self.input.setPlaceholderText(
            self.tr("Paste the lines of a .env file here (KEY=value), or open a file.")
        )
        self.input.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.open_button = QPushButton(self.tr("Open file…"), self)
        self.model = StagedModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Staged changes"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(StagedColumn.KEY, QHeaderView.ResizeMode.Stretch)
        for column in (StagedColumn.BEFORE, StagedColumn.AFTER):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.summary = QLabel(self)
        self.summary.setObjectName("secondary")
        self.lints = LintList(self)
        self.failure = QLabel(self)
        self.failure.setObjectName("formFailure")
        self.failure.setWordWrap(True)
        self.failure.hide()
        self.apply_button = QPushButton(self)
        self.apply_button.setObjectName("primary")
        self.apply_redeploy_button = QPushButton(self.tr("Apply and redeploy"), self)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self._parse_timer = QTimer(self)
        self._parse_timer.setSingleShot(True)
        self._parse_timer.setInterval(_PARSE_DELAY_MS)
        self._lay_out()

        self._parse_timer.timeout.connect(self.restage)
        self.input.textChanged.connect(self._parse_timer.start)
        self.open_button.clicked.connect(lambda: spawn(self._pick_file()))
        self.model.modelReset.connect(self._refresh)
        self.apply_button.clicked.connect(lambda: spawn(self.apply(redeploy=False)))
        self.apply_redeploy_button.clicked.connect(lambda: spawn(self.apply(redeploy=True)))
        self.cancel_button.clicked.connect(self.reject)
        self.restage()

    def _lay_out(self) -> None:
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        source_row = QHBoxLayout()
        source_row.addWidget(QLabel(self.tr("Paste .env text or open vtex.env, .env or JSON"), top))
        source_row.addStretch(1)
        source_row.addWidget(self.open_button)
        top_layout.addLayout(source_row)
        top_layout.addWidget(self.input)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.summary)
        bottom_layout.addWidget(self.table, 1)
        bottom_layout.addWidget(self.lints)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setSizes([200, 400])
        buttons = QHBoxLayout()
        buttons.addWidget(self.failure, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.apply_redeploy_button)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

    # -- input --------------------------------------------------------------------------------

    async def load_file(self, path: Path) -> None:
        """Read a file the user picked (vtex.env, .env, secrets.revealed.json), off the loop."""
        try:
            text = await asyncio.to_thread(path.read_text, encoding="utf-8", errors="replace")
        except OSError as error:
            self._show_failure(self.tr("Could not read %s.") % path.name, error.strerror or "")
            return
        self._source_name = path.name
        self.input.setPlainText(text)
        self.restage()

    async def _pick_file(self) -> None:
        kinds = self.tr("Environment files (%s)") % _FILE_PATTERNS + ";;" + self.tr("All files (*)")
        picker = QFileDialog(self, self.tr("Open an environment file"), "", kinds)
        picker.setFileMode(QFileDialog.FileMode.ExistingFile)
        picker.setOption(QFileDialog.Option.DontResolveSymlinks)
        if await run_dialog(picker) and picker.selectedFiles():
            await self.load_file(Path(picker.selectedFiles()[0]))
        picker.deleteLater()

    def restage(self) -> None:
        self._parse_timer.stop()
        parsed = read_bulk_text(self.input.toPlainText(), self._source_name)
        self._source_findings = parsed.findings
        self.model.stage(parsed.values, self._current)

    # -- review -------------------------------------------------------------------------------

    def _refresh(self) -> None:
        count = len(self.model.changes())
        self.apply_button.setText(self.tr("Apply %n change(s)", "", count))
        blocked = count == 0 or self.model.has_errors()
        self.apply_button.setEnabled(not blocked)
        self.apply_redeploy_button.setEnabled(not blocked)
        unchanged = self.model.unchanged
        text = self.tr("%n change(s) staged", "", count)
        if unchanged:
            text += " · " + self.tr("%n unchanged", "", unchanged)
        self.summary.setText(text)
        keyed = [_with_key(f) for f in self.model.findings()]
        self.lints.set_findings([*self._source_findings, *keyed])

    # -- apply --------------------------------------------------------------------------------

    async def apply(self, *, redeploy: bool) -> None:
        changes = self.model.changes()
        if not changes or self.model.has_errors():
            return
        warnings = [f for f in self.model.findings() if f.severity is Severity.WARNING]
        if warnings and not await confirm(
            self,
            self.tr("Bulk edit"),
            self.tr("Apply despite %n warning(s)?", "", len(warnings)),
            details="\n".join(_with_key(f).message for f in warnings),
            accept=self.tr("Apply"),
        ):
            return
        self._set_busy(True)
        try:
            await self._actions.apply(changes)
        except ActionFailed as failure:
            self._show_failure(failure.message, failure.details)
        except ConflictError as error:
            await self._reload_current(error)
        else:
            self.redeploy_after = redeploy
            self.accept()
        finally:
            self._set_busy(False)

    async def _reload_current(self, conflict: ConflictError) -> None:
        """After a conflict: stage the pasted text again over the entries stored now. The text
        stays whether or not they could be read."""

        def failed(error: WebOpsError) -> None:
            details = self.tr("The list could not be read again: %s") % reason_of(error)
            self._show_failure(conflict.message, details)

        webops, store = self._context.require()
        with reporting(failed):
            self._current = list(await retry_transient(lambda: webops.list_entries(store.id)))
            self.restage()
            self._show_failure(conflict.message, self.tr("The list was reloaded; review it again."))

    def _show_failure(self, message: str, details: str) -> None:
        self.failure.setText(f"{message}\n{details}" if details else message)
        self.failure.setAccessibleName(self.failure.text())
        self.failure.show()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.input, self.open_button, self.apply_button, self.apply_redeploy_button):
            widget.setEnabled(not busy)
        if not busy:
            self._refresh()


def _with_key(finding: Finding) -> Finding:
    """Findings of several keys in one list: prefix each message with its key."""
    if finding.key and not finding.message.startswith(finding.key):
        return replace(finding, message=f"{finding.key}: {finding.message}")
    return finding
