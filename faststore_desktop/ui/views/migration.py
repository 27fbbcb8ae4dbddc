"""Migration: moving a store off secrets.revealed.json / secrets.hidden.json into WebOps.

The engine (core/migration.py) enforces the order: import in one atomic apply, verify every key,
and only then remove the two files (to the trash) while keeping vtex.env. This view shows each
step's state and asks before removing anything.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QFile, QModelIndex
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)

from faststore_desktop.core.migration import (
    LegacyState,
    MigrationError,
    MigrationPlan,
    Verification,
    apply_plan,
    remove_legacy_files_async,
    scan_folder_async,
    verify,
)
from faststore_desktop.core.validation import Finding
from faststore_desktop.core.workspace.trash import (
    FreedesktopTrash,
    Trash,
    TrashedItem,
    TrashError,
)
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.dialogs.run import confirm, run_dialog
from faststore_desktop.ui.dialogs.workspace_value import SupplyValueDialog
from faststore_desktop.ui.store_folder import code_folder
from faststore_desktop.ui.tasks import spawn
from faststore_desktop.ui.views.loading import LoadWhenShown
from faststore_desktop.ui.widgets.lint_list import LintList
from faststore_desktop.ui.widgets.view_header import view_layout
from faststore_desktop.ui.widgets.workspace_migration_table import (
    MigrationColumn,
    MigrationItemsModel,
)
from faststore_desktop.webops.errors import WebOpsError


class QtTrash:
    """The OS trash through Qt, for macOS and Windows (Linux uses the freedesktop trash)."""

    def move(self, path: Path) -> TrashedItem:
        file = QFile(str(path))
        if not file.moveToTrash():
            raise TrashError(f"Cannot move {path.name} to the trash: {file.errorString()}.")
        return TrashedItem(path, Path(file.fileName()))

    def restore(self, item: TrashedItem) -> None:
        if not QFile.rename(str(item.location), str(item.original)):
            raise TrashError(f"Cannot put {item.original.name} back from the trash.")


def os_trash() -> Trash:
    return FreedesktopTrash() if sys.platform.startswith("linux") else QtTrash()


def _located(finding: Finding) -> Finding:
    """The finding with its place in the file added to the message, when it has one."""
    if finding.line is None or f"line {finding.line}" in finding.message:
        return finding
    return replace(finding, message=f"{finding.message} (line {finding.line})")


class _LineWhenSet(QLabel):
    """A label that takes no room while it has nothing to say."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.hide()

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))


class MigrationView(QWidget):
    view_name = "migration"

    def __init__(
        self, context: StoreContext, parent: QWidget | None = None, *, trash: Trash | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(self.view_name)
        self._context = context
        self._trash = trash or os_trash()
        self._folder: Path | None = None
        self._plan: MigrationPlan | None = None
        self._verification: Verification | None = None
        self._busy = False
        self._loader = LoadWhenShown(self, self._scan_again)
        self._scan_task: asyncio.Task[None] | None = None

        self.folder_label = QLabel(self)
        self.folder_label.setObjectName("migrationFolder")
        self.recheck_button = QPushButton(self.tr("Check again"), self)
        self.recheck_button.clicked.connect(self.refresh)
        self.explanation = QLabel(self)
        self.explanation.setObjectName("migrationState")
        self.explanation.setWordWrap(True)
        self.lints = LintList(self)

        self._build_table()
        self._build_actions()

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Code folder:"), self))
        top.addWidget(self.folder_label, 1)
        top.addWidget(self.recheck_button)
        actions = QHBoxLayout()
        actions.addWidget(self.hint, 1)
        actions.addStretch()  # keeps the buttons to their size while there is no hint
        actions.addWidget(self.value_button)
        actions.addWidget(self.import_button)
        actions.addWidget(self.remove_button)
        layout = view_layout(
            self,
            self.tr(
                "Moves the entries of the legacy secrets files (secrets.revealed.json, "
                "secrets.hidden.json) into WebOps, verifies them, then removes the files."
            ),
        )
        layout.addLayout(top)
        layout.addWidget(self.explanation)
        layout.addWidget(self.lints)
        layout.addWidget(self.table, 1)
        layout.addStretch()  # takes the table's place while there is nothing to migrate
        layout.addWidget(self.status)
        layout.addLayout(actions)

        context.storeChanged.connect(self._on_store_changed)
        context.codeFolderChanged.connect(self._on_store_changed)
        self._update_actions()

    def _build_table(self) -> None:
        self.model = MigrationItemsModel(self)
        self.model.dataChanged.connect(self._update_actions)
        self.table = QTableView(self)
        self.table.setObjectName("migrationTable")
        self.table.setAccessibleName(self.tr("Keys to import"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MigrationColumn.CHECKS, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_double_click)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)

    def _build_actions(self) -> None:
        self.value_button = QPushButton(self.tr("Enter value…"), self)
        self.value_button.setObjectName("enterValue")
        self.value_button.clicked.connect(lambda: spawn(self.supply_selected()))
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("importLegacy")
        self.import_button.clicked.connect(lambda: spawn(self.run_import()))
        self.remove_button = QPushButton(self.tr("Remove legacy files…"), self)
        self.remove_button.setObjectName("removeLegacy")
        self.remove_button.clicked.connect(lambda: spawn(self.remove_files()))
        self.status = _LineWhenSet(self)
        self.status.setObjectName("migrationStatus")
        self.status.setWordWrap(True)
        #: What stands between the user and the import (a value to enter, an error to fix).
        self.hint = _LineWhenSet(self)
        self.hint.setObjectName("migrationHint")
        self.hint.setWordWrap(True)

    # -- scanning -----------------------------------------------------------------------------

    def refresh(self) -> None:
        self._loader.request()

    def _scan_again(self) -> None:
        if self._scan_task is not None:
            self._scan_task.cancel()  # its answer would be stale: only the newest scan shows
        self._scan_task = spawn(self.scan())

    async def scan(self) -> None:
        store = self._context.store
        generation = self._context.generation
        folder = code_folder(self._context)
        self._folder, self._plan, self._verification = folder, None, None
        self.folder_label.setText(
            str(folder) if folder else self.tr("No code folder chosen for this store")
        )
        if store is None or folder is None:
            self.explanation.setText(
                self.tr("Choose the store's code folder in Local development first.")
            )
            self._show_plan(None)
            return
        webops, _ = self._context.require()
        try:
            legacy = await scan_folder_async(folder)
            entries = await webops.list_entries(store.id)
        except WebOpsError as error:
            self._context.toast.emit(error.message, "error")
            return
        if generation != self._context.generation:
            return
        self.explanation.setText(legacy.explain())
        self.lints.set_findings(_located(f) for f in legacy.findings)
        self._plan = MigrationPlan(legacy, {entry.key: entry for entry in entries})
        self._show_plan(self._plan)
        if legacy.state is not LegacyState.NOTHING and not self._plan.to_import():
            await self.run_verify()

    def _show_plan(self, plan: MigrationPlan | None) -> None:
        self.model.set_plan(plan)
        self.status.setText("")
        self._update_actions()

    # -- steps --------------------------------------------------------------------------------

    async def supply_selected(self) -> None:
        indexes = self.table.selectionModel().selectedRows()
        if self._plan is None or not indexes:
            return
        item = self.model.item(indexes[0].row())
        dialog = SupplyValueDialog(item.key, self)
        accepted = await run_dialog(dialog) == QDialog.DialogCode.Accepted
        value = dialog.value.text()
        dialog.deleteLater()
        if accepted:
            self._plan.supply_value(item.key, value)
            self.model.plan_changed()

    async def run_import(self) -> None:
        plan = self._plan
        if plan is None or self._busy:
            return
        webops, store = self._context.require()
        self._set_busy(True)
        try:
            result = await apply_plan(webops, store.id, plan)
        except (MigrationError, WebOpsError) as error:
            self.status.setText(self.tr("Nothing was imported: {why}").format(why=error.message))
            return
        finally:
            self._set_busy(False)
        if result is not None:
            self._context.toast.emit(
                self.tr("Imported %n key(s) into WebOps", "", len(result.entries)),
                "success",
            )
            self._context.entriesChanged.emit()
        await self.run_verify()

    async def run_verify(self) -> None:
        if self._plan is None:
            return
        webops, store = self._context.require()
        try:
            verification = await verify(webops, store.id, self._plan.scan)
        except WebOpsError as error:
            self.status.setText(error.message)
            return
        self._verification = verification
        if verification.ok:
            self.status.setText(
                self.tr(
                    "Verified: all %n key(s) of the legacy files are in WebOps. They take "
                    "effect at the next deployment. You can now remove the legacy files.",
                    "",
                    len(self._plan.scan.all_keys()),
                )
            )
        else:
            self.status.setText(
                self.tr("Not yet in WebOps: {keys}.").format(keys=", ".join(verification.missing))
            )
        self._update_actions()

    async def remove_files(self) -> None:
        verification = self._verification
        if verification is None or not verification.ok:
            return
        agreed = await confirm(
            self,
            self.tr("Remove legacy files"),
            self.tr("Move secrets.revealed.json and secrets.hidden.json to the trash?"),
            details=self.tr(
                "Every key is verified in WebOps. The files also stop being tracked by git "
                "(commit the change). vtex.env is kept."
            ),
            accept=self.tr("Move to trash"),
        )
        if not agreed:
            return
        self._set_busy(True)
        try:
            removal = await remove_legacy_files_async(verification, self._trash)
        except MigrationError as error:
            self.status.setText(error.message)
            return
        finally:
            self._set_busy(False)
        message = self.tr("The legacy files are in the trash; vtex.env is kept.")
        if removal.untracked:
            message += " " + self.tr("Commit their removal from git.")
        self._context.toast.emit(message, "success")
        await self.scan()
        self.status.setText(message + (" " + removal.git_note if removal.git_note else ""))

    # -- state --------------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_actions()

    def _update_actions(self) -> None:
        plan = self._plan
        has_keys = bool(plan and plan.items)
        for widget in (self.table, self.value_button, self.import_button, self.remove_button):
            widget.setVisible(has_keys)  # nothing to migrate: nothing to offer
        to_import = len(plan.to_import()) if plan else 0
        self.import_button.setText(
            self.tr("Import %n key(s)", "", to_import) if to_import else self.tr("Verify")
        )
        blockers = plan.blockers() if plan else []
        self.import_button.setEnabled(not self._busy and has_keys and not blockers)
        self.import_button.setToolTip(" ".join(blockers))
        self.hint.setText(" ".join(blockers))
        selected = self.table.selectionModel().selectedRows()
        item = self.model.item(selected[0].row()) if plan and selected else None
        self.value_button.setEnabled(
            not self._busy
            and item is not None
            and not item.in_revealed
            and not item.already_in_webops
        )
        self.remove_button.setEnabled(
            not self._busy and self._verification is not None and self._verification.ok
        )

    def _on_double_click(self, index: QModelIndex) -> None:
        if index.column() == MigrationColumn.VALUE:
            spawn(self.supply_selected())

    def _on_store_changed(self) -> None:
        self._plan, self._verification = None, None
        self._show_plan(None)
        self._loader.request()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._loader.shown()
