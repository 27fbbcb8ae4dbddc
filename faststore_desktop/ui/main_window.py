"""The main window: navigation between views, the store switcher, the status bar, shortcuts.

Only the view shown first is built before the window's first frame; the others are built one per
event-loop turn right after it, or at once when one is asked for (or a store is about to open,
see `build_all_views`). Dialogs are imported when opened.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from faststore_desktop.settings import Key, Settings
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.icons import app_icon, icon, nav_icon
from faststore_desktop.ui.session import Connection, Session
from faststore_desktop.ui.store_watcher import StoreWatcher
from faststore_desktop.ui.tasks import spawn
from faststore_desktop.ui.views import VIEWS, ViewSpec, view_row
from faststore_desktop.ui.widgets.toast import ToastArea

REDEPLOY_REASON = "Redeploy requested"


class StoreBox(QComboBox):
    """The store switcher; it asks for a fresh list each time it opens."""

    aboutToShowPopup = Signal()

    def showPopup(self) -> None:
        self.aboutToShowPopup.emit()
        super().showPopup()


class MainWindow(QMainWindow):
    def __init__(self, context: StoreContext, session: Session, settings: Settings) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("FastStore Desktop"))
        self.setWindowIcon(app_icon())
        self.context = context
        self.session = session
        self.settings = settings
        self.watcher = StoreWatcher(context, self)
        self._views: list[QWidget | None] = [None] * len(VIEWS)
        # A zero timer fires once the events already queued are handled: the first frame, the
        # session's first step (which starts opening the store in a thread), input.
        self._build_timer = QTimer(self)
        self._build_timer.setSingleShot(True)
        self._build_timer.setInterval(0)
        self._build_timer.timeout.connect(self._build_next_view)
        self.nav = QListWidget(self)
        self.stack = QStackedWidget(self)
        self._build_navigation()
        self.toasts = ToastArea(self.stack)

        self.connection_box = QComboBox(self)
        self.connection_box.setAccessibleName(self.tr("Connection"))
        self.connection_box.setMinimumContentsLength(14)
        self.store_box = StoreBox(self)
        self.store_box.aboutToShowPopup.connect(lambda: spawn(self.session.refresh_stores()))
        self.store_box.setAccessibleName(self.tr("Store"))
        self.store_box.setMinimumContentsLength(18)
        self.connection_label = QLabel(self)
        self.store_label = QLabel(self)
        self.pending_label = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.busy_label = QLabel(self)
        self.protection_label = QLabel(self)
        self.protection_label.setObjectName("secondary")
        #: Shown while the open connection's secret is in a keyring that is not the system's.
        self.keyring_warning_label = QLabel(self)
        self.keyring_warning_label.setObjectName("keyringWarning")
        self.keyring_warning_label.setProperty("kind", "warning")
        self.keyring_warning_label.hide()
        self._build_toolbar()
        self._build_status_bar()
        self._build_actions()
        self._connect()
        self.nav.currentRowChanged.connect(self._view_selected)
        self._restore()

    # -- construction -------------------------------------------------------------------------

    def _build_navigation(self) -> None:
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(self.tr("Views"))
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.nav.setMinimumWidth(190)
        for spec in VIEWS:
            self._add_nav_item(spec)
            self.stack.addWidget(QWidget(self.stack))  # stands in for the view until it is built
        splitter = QSplitter(self)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)
        splitter.setSizes([230, 1000])
        self.setCentralWidget(splitter)

    def _add_nav_item(self, spec: ViewSpec) -> None:
        title = self.tr(spec.title)
        item = QListWidgetItem(nav_icon(spec.name), title, self.nav)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
        # A fixed row height: item padding from a style sheet is not counted by every style.
        item.setSizeHint(QSize(0, self.nav.fontMetrics().height() + 18))

    @property
    def views(self) -> list[QWidget]:
        """The views built so far, in navigation order (all of them soon after the first frame)."""
        return [view for view in self._views if view is not None]

    def view_at(self, row: int) -> QWidget:
        """The view of navigation row `row`, built now if it was not yet.

        A view built before it is shown waits outside the stack, which keeps its stand-in until
        then: adding it to the shown window would lay out and paint the window again.
        """
        view = self._views[row]
        if view is not None:
            return view
        view = VIEWS[row].load()(self.context, self.stack)
        view.hide()
        self._views[row] = view
        pending = getattr(view, "pendingCountChanged", None)
        if pending is not None:
            pending.connect(self._pending_changed)
        restore_layout = getattr(view, "restore_layout", None)  # a view remembering its layout
        if restore_layout is not None:
            restore_layout(self.settings)
        return view

    def build_all_views(self) -> None:
        """Build the views not built yet. Every view follows the context's store, so they must
        all exist before a store opens (the composition root calls this then)."""
        for row in range(len(VIEWS)):
            self.view_at(row)

    def _build_next_view(self) -> None:
        """One view per event-loop turn, so input is handled between two."""
        row = next((row for row, view in enumerate(self._views) if view is None), None)
        if row is not None:
            self.view_at(row)
            self._build_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        handle = self.windowHandle()
        if handle is not None and None in self._views:
            handle.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Expose and watched is self.windowHandle():
            watched.removeEventFilter(self)
            # Qt paints the frame while handling this expose, before the timer fires.
            self._build_timer.start()
        return super().eventFilter(watched, event)

    def _build_toolbar(self) -> None:
        bar = QToolBar(self.tr("Store"), self)
        bar.setObjectName("storeToolbar")
        bar.setMovable(False)
        bar.addWidget(QLabel(self.tr("Connection") + " ", bar))
        bar.addWidget(self.connection_box)
        bar.addSeparator()
        bar.addWidget(QLabel(self.tr("Store") + " ", bar))
        bar.addWidget(self.store_box)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        for label in (self.connection_label, self.store_label, self.pending_label):
            status.addWidget(label)
        status.addPermanentWidget(self.busy_label)
        status.addPermanentWidget(self.keyring_warning_label)
        status.addPermanentWidget(self.protection_label)
        status.addPermanentWidget(self.progress)

    def _build_actions(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu(self.tr("&File"))
        self.connections_action = self._action(
            file_menu,
            self.tr("&Connections…"),
            _standard_or(QKeySequence.StandardKey.Preferences, "Ctrl+,"),
        )
        self.connections_action.triggered.connect(lambda: spawn(self.edit_connections()))
        file_menu.addSeparator()
        quit_action = self._action(
            file_menu, self.tr("&Quit"), _standard_or(QKeySequence.StandardKey.Quit, "Ctrl+Q")
        )
        quit_action.triggered.connect(self.close)

        edit_menu = menus.addMenu(self.tr("&Edit"))
        find = self._action(edit_menu, self.tr("&Find"), QKeySequence.StandardKey.Find)
        find.triggered.connect(lambda: self._call_view("focus_find"))
        new = self._action(edit_menu, self.tr("&New entry"), QKeySequence.StandardKey.New)
        new.triggered.connect(self._new_entry)
        delete = self._action(edit_menu, self.tr("&Delete entry"), QKeySequence.StandardKey.Delete)
        delete.triggered.connect(lambda: self._call_view("delete_selected"))

        view_menu = menus.addMenu(self.tr("&View"))
        for row in range(len(VIEWS)):
            action = self._action(view_menu, self.nav.item(row).text(), f"Ctrl+{row + 1}")
            action.triggered.connect(lambda _=False, r=row: self.nav.setCurrentRow(r))

        store_menu = menus.addMenu(self.tr("&Store"))
        self.redeploy_action = self._action(store_menu, self.tr("&Redeploy"), "Ctrl+Shift+R")
        self.redeploy_action.triggered.connect(self._redeploy)

        help_menu = menus.addMenu(self.tr("&Help"))
        about = self._action(help_menu, self.tr("&About FastStore Desktop"), "")
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(lambda: spawn(self.show_about()))

    def _action(self, menu: Any, text: str, shortcut: Any) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        menu.addAction(action)
        return action

    def _connect(self) -> None:
        self.context.toast.connect(self.toasts.show_message)
        self.context.storeChanged.connect(self._store_changed)
        self.context.showView.connect(self.show_view)
        self.session.storesChanged.connect(self._fill_switchers)
        self.session.busyChanged.connect(self._busy)
        self.session.failed.connect(
            lambda message, details: spawn(self._show_failure(message, details))
        )
        self.watcher.failed.connect(self.session.failed)  # a refused event stream
        self.connection_box.activated.connect(self._connection_chosen)
        self.store_box.activated.connect(self._store_chosen)

    # -- state --------------------------------------------------------------------------------

    def _restore(self) -> None:
        geometry = self.settings.get(Key.WINDOW_GEOMETRY)
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(1200, 780)
        self.restoreState(self.settings.get(Key.WINDOW_STATE))
        self.show_view(self.settings.get(Key.LAST_VIEW))
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)
        self._store_changed()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.set(Key.WINDOW_GEOMETRY, self.saveGeometry())
        self.settings.set(Key.WINDOW_STATE, self.saveState())
        current = self.stack.currentWidget()
        if current is not None:
            self.settings.set(Key.LAST_VIEW, current.objectName())
        for view in self.views:
            save_layout = getattr(view, "save_layout", None)
            if save_layout is not None:
                save_layout(self.settings)
        self.settings.sync()
        self.watcher.stop()
        super().closeEvent(event)

    def show_view(self, name: str) -> None:
        row = view_row(name)
        if row is not None:
            self.nav.setCurrentRow(row)

    def current_view(self) -> QWidget | None:
        return self.stack.currentWidget()

    def _view_selected(self, row: int) -> None:
        if row < 0:
            return
        view = self.view_at(row)
        stand_in = self.stack.widget(row)
        if stand_in is not view:
            self.stack.insertWidget(row, view)
            if stand_in is not None:
                self.stack.removeWidget(stand_in)
                stand_in.deleteLater()
        self.stack.setCurrentWidget(view)
        self.settings.set(Key.LAST_VIEW, view.objectName())

    def _store_changed(self) -> None:
        store = self.context.store
        connection = self.context.connection_name or self.tr("Not connected")
        self.connection_label.setText(self.tr("Connection: %s") % connection)
        self.store_label.setText(
            self.tr("Store: %s") % (store.config.name if store else self.tr("none"))
        )
        self._pending_changed(0)
        self.redeploy_action.setEnabled(store is not None)
        if store is not None:
            self.store_box.setCurrentIndex(self.store_box.findData(store.id))

    def set_protection(self, text: str, warning: str = "") -> None:
        """Where the open connection's secret lives (a keyring, a passphrase); `warning`, when
        that keyring is not the system's own store, says what it means and what to install."""
        self.protection_label.setText(text)
        label = self.keyring_warning_label
        label.setText(self.tr("⚠ Not a system keyring") if warning else "")
        label.setToolTip(warning)
        label.setAccessibleName(self.tr("Warning: not a system keyring") if warning else "")
        label.setAccessibleDescription(warning)
        label.setVisible(bool(warning))

    def _pending_changed(self, count: int) -> None:
        self.pending_label.setText(self.tr("%n pending change(s)", "", count))

    def _busy(self, text: str) -> None:
        self.busy_label.setText(text)
        self.progress.setVisible(bool(text))

    def _fill_switchers(self) -> None:
        self.connection_box.clear()
        for connection in self.session.connections():
            self.connection_box.addItem(
                icon("local" if connection.is_local else "deployments"),
                connection.name,
                connection.id,
            )
        current = self.session.connection
        if current is not None:
            self.connection_box.setCurrentIndex(self.connection_box.findData(current.id))
        self.store_box.clear()
        for store in self.session.stores:
            self.store_box.addItem(store.config.name, store.id)
        if self.context.store is not None:
            self.store_box.setCurrentIndex(self.store_box.findData(self.context.store.id))

    # -- actions ------------------------------------------------------------------------------

    def _connection_chosen(self, index: int) -> None:
        connection = self.session.connection_by_id(str(self.connection_box.itemData(index)))
        if connection is not None and connection != self.session.connection:
            spawn(self._open_connection(connection))

    async def _open_connection(self, connection: Connection) -> None:
        if not await self.session.open(connection) and not self.session.opening:
            self._fill_switchers()  # back to the connection still open

    def _store_chosen(self, index: int) -> None:
        store_id = self.store_box.itemData(index)
        if self.context.store is None or store_id != self.context.store.id:
            self.session.select_store(str(store_id))

    def _call_view(self, method: str) -> None:
        function = getattr(self.stack.currentWidget(), method, None)
        if callable(function):
            function()

    def _new_entry(self) -> None:
        self.show_view("variables")
        self._call_view("new_entry")

    def _redeploy(self) -> None:
        from faststore_desktop.ui.entry_actions import redeploy

        if self.context.store is not None:
            spawn(redeploy(self.context, REDEPLOY_REASON))

    async def _show_failure(self, message: str, details: str) -> None:
        from faststore_desktop.ui.dialogs.run import show_failure

        await show_failure(self, message, details)

    async def show_about(self) -> None:
        from faststore_desktop.ui.dialogs.about import AboutDialog
        from faststore_desktop.ui.dialogs.run import run_dialog

        dialog = AboutDialog(self)
        await run_dialog(dialog)
        dialog.deleteLater()

    async def edit_connections(self) -> None:
        from faststore_desktop.ui.dialogs.connections import ConnectionsDialog
        from faststore_desktop.ui.dialogs.run import run_dialog

        dialog = ConnectionsDialog(self.session, self.settings, self)
        await run_dialog(dialog)
        dialog.deleteLater()
        self._fill_switchers()


def _standard_or(key: QKeySequence.StandardKey, fallback: str) -> QKeySequence:
    """The platform's shortcut for `key`; `fallback` where the platform defines none."""
    return QKeySequence(key) if QKeySequence.keyBindings(key) else QKeySequence(fallback)
