"""Variables and secrets: the add form, the table of current keys, the pending banner.

This view is usually the one built before the window's first frame, so its dialogs (edit,
conflict, delete, history, bulk edit) are imported when they first open, not with the view.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from faststore_desktop.core.entries import Entry, EntryType
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.dialogs.run import run_dialog, show_failure
from faststore_desktop.ui.entry_actions import ActionFailed, EntryActions, redeploy
from faststore_desktop.ui.models.entries import Column, EntriesFilter, EntriesModel
from faststore_desktop.ui.retry import retry_transient
from faststore_desktop.ui.tasks import spawn
from faststore_desktop.ui.widgets.entry_form import EntryForm
from faststore_desktop.ui.widgets.pending_banner import PendingBanner
from faststore_desktop.ui.widgets.secure_clipboard import SecureClipboard
from faststore_desktop.ui.widgets.view_header import view_layout
from faststore_desktop.webops.errors import ConflictError, NotFoundError, WebOpsError

if TYPE_CHECKING:
    from faststore_desktop.ui.dialogs.conflict import NewEntry, Resolution
    from faststore_desktop.ui.dialogs.entry_edit import EntryEditDialog

#: A revealed text value hides again after this long.
REVEAL_MS = 20_000
REDEPLOY_REASON = "Variables and secrets changed"
RELOAD_COALESCE_MS = 30


class EntriesTable(QTableView):
    """The table; Space toggles a value, Enter edits, the Menu key opens the ⋮ menu."""

    menuRequested = Signal(QModelIndex, QPoint)
    revealRequested = Signal(QModelIndex)
    editRequested = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        if index.isValid():
            if event.key() == Qt.Key.Key_Space:
                self.revealRequested.emit(index)
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.editRequested.emit(index)
                return
            if event.key() == Qt.Key.Key_Menu:
                rect = self.visualRect(index.siblingAtColumn(Column.ACTIONS))
                self.menuRequested.emit(index, self.viewport().mapToGlobal(rect.bottomLeft()))
                return
        super().keyPressEvent(event)


class VariablesView(QWidget):
    view_name = "variables"

    #: The number of pending keys (deletions included), for the status bar.
    pendingCountChanged = Signal(int)

    def __init__(self, context: StoreContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(self.view_name)
        self.context = context
        self.entry_actions = EntryActions(context)
        self.clipboard = SecureClipboard(self)
        self.model = EntriesModel(self)
        self.proxy = EntriesFilter(self)
        self.proxy.setSourceModel(self.model)
        self._reveal_timers: dict[str, QTimer] = {}
        self._load_seq = 0
        self._load_task: asyncio.Task[None] | None = None
        #: Bursts of change signals (own actions, live events) make one reload.
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_COALESCE_MS)
        self._reload_timer.timeout.connect(self._start_load)
        self.pending_count = 0

        self.banner = PendingBanner(self)
        self.form = EntryForm(self)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(self.tr("Filter by key"))
        self.filter_edit.setAccessibleName(self.tr("Filter by key"))
        self.filter_edit.setClearButtonEnabled(True)
        self.bulk_button = QPushButton(self.tr("Bulk edit…"), self)
        self.bulk_button.setToolTip(self.tr("Paste a .env file or open vtex.env, .env or JSON"))
        self.count_label = QLabel(self)
        self.count_label.setObjectName("secondary")
        self.table = EntriesTable(self)
        self.table.setAccessibleName(self.tr("Current keys"))
        self._build()
        self._connect()

    # -- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        add_box = QGroupBox(self.tr("Add a variable or secret"), self)
        add_layout = QVBoxLayout(add_box)
        add_layout.addWidget(self.form)

        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.KEY, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(Column.KEY, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.VALUE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.ACTIONS, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(Column.KEY, 260)
        header.resizeSection(Column.TYPE, 90)
        header.resizeSection(Column.UPDATED, 210)
        header.resizeSection(Column.STATUS, 160)
        header.resizeSection(Column.ACTIONS, 36)

        tools = QHBoxLayout()
        current = QLabel(self.tr("Current keys"), self)
        current.setObjectName("subheading")
        tools.addWidget(current)
        tools.addWidget(self.count_label)
        tools.addStretch(1)
        tools.addWidget(self.filter_edit, 1)
        tools.addWidget(self.bulk_button)

        layout = view_layout(
            self,
            self.tr(
                "Values the store's build reads as environment variables. Text values can be "
                "shown again; secrets are write-only. Changes take effect at the next deployment."
            ),
        )
        layout.addWidget(self.banner)
        layout.addWidget(add_box)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)

    def _connect(self) -> None:
        self.context.storeChanged.connect(self._store_changed)
        self.context.entriesChanged.connect(self.reload)
        self.context.deploymentsChanged.connect(self.reload)
        self.banner.redeployRequested.connect(lambda: spawn(self.redeploy()))
        self.form.submitted.connect(lambda: spawn(self._create()))
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.bulk_button.clicked.connect(lambda: spawn(self.bulk_edit()))
        self.table.clicked.connect(self._clicked)
        self.table.doubleClicked.connect(self._edit_index)
        self.table.editRequested.connect(self._edit_index)
        self.table.revealRequested.connect(self._toggle_reveal_index)
        self.table.menuRequested.connect(self._open_menu)
        self.table.customContextMenuRequested.connect(
            lambda pos: self._open_menu(
                self.table.indexAt(pos), self.table.viewport().mapToGlobal(pos)
            )
        )
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)

    # -- entry points for the main window's shortcuts ----------------------------------------

    def focus_find(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def new_entry(self) -> None:
        self.form.key_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def delete_selected(self) -> None:
        entry = self._selected_entry()
        if entry is not None:
            spawn(self.delete(entry))

    # -- loading ------------------------------------------------------------------------------

    def _store_changed(self) -> None:
        self._reload_timer.stop()
        if self._load_task is not None:
            self._load_task.cancel()
        self.model.clear()
        self.banner.hide()
        self._set_pending(0)
        self.form.reset()
        if self.context.store is not None:
            self._start_load()

    @property
    def loading(self) -> bool:
        """True while a reload is scheduled or running."""
        task = self._load_task
        return self._reload_timer.isActive() or (task is not None and not task.done())

    def reload(self) -> None:
        if self.context.store is not None:
            self._reload_timer.start()

    def _start_load(self) -> None:
        if self.context.store is not None:
            self._load_task = spawn(self.load())

    async def load(self) -> None:
        """Read entries and status; an answer overtaken by a newer load or store is dropped."""
        webops, store = self.context.require()
        self._load_seq += 1
        ticket = (self._load_seq, self.context.generation)
        try:
            entries = await retry_transient(lambda: webops.list_entries(store.id))
            status = await retry_transient(lambda: webops.status(store.id))
        except WebOpsError as error:
            if ticket == (self._load_seq, self.context.generation):
                self.context.toast.emit(
                    self.tr("Could not load the keys: %s") % error.message, "error"
                )
            return
        if ticket != (self._load_seq, self.context.generation):
            return
        self.model.set_entries(entries, status.pending)
        self.form.set_existing_keys(entry.key for entry in entries)
        self.banner.setVisible(status.has_pending)
        self._set_pending(len(status.pending))

    def _set_pending(self, count: int) -> None:
        self.pending_count = count
        self.pendingCountChanged.emit(count)

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.total_count()
        text = self.tr("%n key(s)", "", total) if shown == total else f"{shown} / {total}"
        self.count_label.setText(text)

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    # -- add ----------------------------------------------------------------------------------

    async def _create(self) -> None:
        form = self.form
        key, type, value = form.key(), form.entry_type(), form.value()
        form.set_busy(True)
        try:
            await self.entry_actions.create(key, type, value)
        except ActionFailed as failure:
            form.show_failure(failure.message, failure.details, failure.findings)
            return
        except ConflictError as error:
            details = error.message
        else:
            form.reset()
            return
        finally:
            form.set_busy(False)
        await self._added_meanwhile(key, type, value, details)

    async def _added_meanwhile(self, key: str, type: EntryType, value: str, details: str) -> None:
        """Someone created `key` after the list was read: as an update conflict, what the user
        typed stays in the form and may update the entry they find there instead."""
        from faststore_desktop.ui.dialogs.conflict import NewEntry

        self.form.show_failure(
            self.tr("Someone added %s since the list was loaded.") % key, details
        )
        _resolution, saved = await self._resolve_conflict(NewEntry(key, type, value), value, type)
        if saved and (self.form.key(), self.form.entry_type(), self.form.value()) == (
            key,
            type,
            value,
        ):
            self.form.reset()

    # -- update -------------------------------------------------------------------------------

    async def edit(self, entry: Entry) -> None:
        from faststore_desktop.ui.dialogs.entry_edit import EntryEditDialog

        dialog = EntryEditDialog(entry, (e.key for e in self.model.entries()), self)
        dialog.form.submitted.connect(lambda: spawn(self._update(dialog)))
        await run_dialog(dialog)
        dialog.deleteLater()

    async def _update(self, dialog: EntryEditDialog) -> None:
        from faststore_desktop.ui.dialogs.conflict import Resolution

        form, entry = dialog.form, dialog.entry
        form.set_busy(True)
        try:
            await self.entry_actions.update(
                entry.key, form.value(), expected_version=entry.version, type=form.entry_type()
            )
        except ActionFailed as failure:
            form.show_failure(failure.message, failure.details, failure.findings)
        except ConflictError:
            # The edit stays open behind the conflict, with what the user typed: Cancel (or an
            # overwrite that fails) returns to it.
            resolution, saved = await self._resolve_conflict(
                entry, form.value(), form.entry_type(), parent=dialog
            )
            if saved or resolution is Resolution.RELOAD:
                dialog.accept()
        else:
            dialog.accept()
        finally:
            form.set_busy(False)

    async def _resolve_conflict(
        self,
        mine: Entry | NewEntry,
        value: str | None,
        type: EntryType,
        *,
        parent: QWidget | None = None,
    ) -> tuple[Resolution, bool]:
        """Show both versions; overwrite writes `value` (None: delete) over the stored one.

        Returns the user's choice and whether their value was saved. The list reloads either way.
        """
        from faststore_desktop.ui.dialogs.conflict import ConflictDialog, Resolution

        webops, store = self.context.require()
        self.reload()
        try:
            theirs: Entry | None = await retry_transient(
                lambda: webops.get_entry(store.id, mine.key)
            )
        except NotFoundError:
            theirs = None
        except WebOpsError as error:
            await self._report(error)
            return Resolution.CANCEL, False
        dialog = ConflictDialog(mine, theirs, parent or self)
        await run_dialog(dialog)
        resolution = dialog.resolution
        dialog.deleteLater()
        saved = False
        try:
            if resolution is Resolution.OVERWRITE:
                await self._overwrite(theirs, mine.key, value, type)
                saved = True
        except (ActionFailed, ConflictError) as failure:
            await self._report(failure)
        self.reload()
        return resolution, saved

    async def _overwrite(
        self, theirs: Entry | None, key: str, value: str | None, type: EntryType
    ) -> None:
        if value is None:
            if theirs is not None:
                await self.entry_actions.delete(key, expected_version=theirs.version)
        elif theirs is None:
            await self.entry_actions.create(key, type, value)
        else:
            await self.entry_actions.update(key, value, expected_version=theirs.version, type=type)

    # -- delete -------------------------------------------------------------------------------

    async def delete(self, entry: Entry) -> None:
        from faststore_desktop.ui.dialogs.delete_entry import confirm_delete

        if not await confirm_delete(self, entry.key):
            return
        try:
            await self.entry_actions.delete(entry.key, expected_version=entry.version)
        except ActionFailed as failure:
            await self._report(failure)
        except ConflictError:
            await self._resolve_conflict(entry, None, entry.type)

    # -- history ------------------------------------------------------------------------------

    async def history(self, entry: Entry) -> None:
        from faststore_desktop.ui.dialogs.history import HistoryDialog

        dialog = HistoryDialog(self.context, self.entry_actions, entry, self)
        await run_dialog(dialog)
        dialog.deleteLater()

    # -- bulk edit ----------------------------------------------------------------------------

    async def bulk_edit(self) -> None:
        from faststore_desktop.ui.dialogs.bulk_edit import BulkEditDialog

        dialog = BulkEditDialog(self.context, self.entry_actions, self.model.entries(), self)
        await run_dialog(dialog)
        redeploy_after = dialog.redeploy_after
        dialog.deleteLater()
        if redeploy_after:
            await self.redeploy()

    # -- redeploy -----------------------------------------------------------------------------

    async def redeploy(self) -> None:
        self.banner.set_busy(True)
        try:
            await redeploy(self.context, REDEPLOY_REASON)
        finally:
            self.banner.set_busy(False)

    # -- the ⋮ menu ---------------------------------------------------------------------------

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == Column.ACTIONS:
            rect = self.table.visualRect(index)
            self._open_menu(index, self.table.viewport().mapToGlobal(rect.bottomLeft()))

    def _open_menu(self, index: QModelIndex, where: QPoint) -> None:
        menu = self.row_menu(index)
        if menu is not None:
            menu.popup(where)

    def row_menu(self, index: QModelIndex) -> QMenu | None:
        entry = self.proxy.entry_at(index)
        if entry is None:
            return None
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.setAccessibleName(self.tr("Actions for %s") % entry.key)
        self._add(menu, self.tr("Edit"), lambda: spawn(self.edit(entry)), "Return")
        if not entry.is_secret:
            shown = self.model.is_revealed(entry.key)
            label = self.tr("Hide value") if shown else self.tr("Show value")
            self._add(menu, label, lambda: self.toggle_reveal(entry.key), "Space")
            self._add(menu, self.tr("Copy value"), lambda: self.copy_value(entry))
        self._add(menu, self.tr("History"), lambda: spawn(self.history(entry)))
        menu.addSeparator()
        self._add(menu, self.tr("Delete"), lambda: spawn(self.delete(entry)), "Delete")
        return menu

    @staticmethod
    def _add(menu: QMenu, text: str, slot: object, shortcut: str = "") -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        return action

    def _selected_entry(self) -> Entry | None:
        return self.proxy.entry_at(self.table.currentIndex())

    def _edit_index(self, index: QModelIndex) -> None:
        entry = self.proxy.entry_at(index)
        if entry is not None:
            spawn(self.edit(entry))

    def _toggle_reveal_index(self, index: QModelIndex) -> None:
        entry = self.proxy.entry_at(index)
        if entry is not None:
            self.toggle_reveal(entry.key)

    def toggle_reveal(self, key: str) -> None:
        """Show a text value; it hides again by itself after REVEAL_MS."""
        revealed = not self.model.is_revealed(key)
        self.model.set_revealed(key, revealed)
        timer = self._reveal_timers.pop(key, None)
        if timer is not None:
            timer.stop()
            timer.deleteLater()
        if revealed and self.model.is_revealed(key):
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.timeout.connect(lambda: self._hide_again(key))
            timer.start(REVEAL_MS)
            self._reveal_timers[key] = timer

    def _hide_again(self, key: str) -> None:
        self.model.set_revealed(key, False)
        timer = self._reveal_timers.pop(key, None)
        if timer is not None:
            timer.deleteLater()

    def copy_value(self, entry: Entry) -> None:
        if entry.is_secret or entry.value is None:
            return
        self.clipboard.copy(entry.value)
        self.context.toast.emit(self.tr("Value of %s copied for 30 seconds") % entry.key, "info")

    async def _report(self, failure: ActionFailed | WebOpsError) -> None:
        details = failure.details if isinstance(failure, ActionFailed) else ""
        await show_failure(self, failure.message, details)
