"""Deploys: every deployment of the store, filtered and searched on the server, updated live.

The list asks the backend for one page at a time (`DeploymentQuery`) and loads the next page
when the user scrolls to the end. `StoreContext.deploymentsChanged` (emitted by the app's store
watcher for every deployment event) refreshes what is loaded, coalesced so a burst of status
changes costs one request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtCore import (
    QItemSelection,
    Qt,
    QTimer,
)
from PySide6.QtGui import QGuiApplication, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from faststore_desktop.settings import Key, Settings
from faststore_desktop.ui import entry_actions
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.models.deployments import (
    DeploymentColumn,
    DeploymentsModel,
    environment_text,
)
from faststore_desktop.ui.notifications import DeploymentNotifier, FinishedDeployments
from faststore_desktop.ui.retry import retry_transient
from faststore_desktop.ui.view_tasks import OwnedTasks
from faststore_desktop.ui.views.deployment_details import DeploymentDetails
from faststore_desktop.ui.views.loading import LoadWhenShown, read_current
from faststore_desktop.ui.widgets.read_only_table import add_table_action, read_only_table
from faststore_desktop.ui.widgets.status_badge import status_icon, status_text
from faststore_desktop.ui.widgets.view_header import view_layout
from faststore_desktop.webops.errors import WebOpsError
from faststore_desktop.webops.models import (
    Deployment,
    DeploymentQuery,
    DeploymentStatus,
    Environment,
    SortOrder,
)

_DeploymentCall = Callable[[], Awaitable[Deployment]]

#: Why a deployment started from this view was asked for (kept with it, shown in its details).
REDEPLOY_REASON = "Redeploy requested from Deploys"
#: Deployments asked for per page.
PAGE_SIZE = 50
#: Typing pauses this long before the search is sent.
SEARCH_DELAY_MS = 300
#: Events arriving within this window cause one refresh.
REFRESH_DELAY_MS = 150


class DeploymentsView(QWidget):
    view_name = "deployments"

    def __init__(self, context: StoreContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(self.view_name)
        self._context = context
        self._tasks = OwnedTasks(self)
        self._total = 0
        # Bumped by each request for the whole list: older answers, and pages asked for before
        # it, are dropped (a page asked for later does not drop a refresh of the whole list).
        self._list_version = 0
        self._loader = LoadWhenShown(self, self._load_again)
        self._select_after_load: str | None = None
        self.page_size = PAGE_SIZE
        #: Whether the user sized the columns; until then they fit the rows shown.
        self._columns_sized = False
        self._fitting_columns = False

        self.model = DeploymentsModel(self)
        self.details = DeploymentDetails(self)
        self.details.rerunRequested.connect(self.rerun)
        self.details.cancelRequested.connect(self.cancel)
        self.notifier = DeploymentNotifier(self.window, self)
        self.finished = FinishedDeployments(context, self)
        self.finished.finished.connect(self.notifier.notify_finished)
        self.notifier.activated.connect(self._on_notification_clicked)

        filters = self._build_filters()
        self._table = self._build_table()
        self._more = QLabel(self)
        self._more.setObjectName("deploymentsCount")

        splitter = self._splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("deploymentsSplitter")
        splitter.setChildrenCollapsible(False)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self._table)
        top_layout.addWidget(self._more)
        splitter.addWidget(top)
        splitter.addWidget(self.details)
        splitter.setSizes([320, 420])

        layout = view_layout(
            self,
            self.tr(
                "The store's deployments, newest first by default: each with its steps, its log "
                "and the keys it was built with."
            ),
        )
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

        self._search_timer = _single_shot(self, SEARCH_DELAY_MS, self.reload)
        self._refresh_timer = _single_shot(self, REFRESH_DELAY_MS, self.refresh)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)

        context.storeChanged.connect(self._on_store_changed)
        context.deploymentsChanged.connect(self._on_deployments_changed)

    # -- building --------------------------------------------------------------------------------
    def _build_filters(self) -> QHBoxLayout:
        self.search = QLineEdit(self)
        self.search.setObjectName("deploymentSearch")
        self.search.setPlaceholderText(self.tr("Search deploy ID, commit, message or author"))
        self.search.setAccessibleName(self.tr("Search deployments"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(100)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())

        self.environment = QComboBox(self)
        self.environment.setObjectName("environmentFilter")
        self.environment.setAccessibleName(self.tr("Environment"))
        self.environment.addItem(self.tr("All environments"), None)
        for environment in Environment:
            self.environment.addItem(environment_text(environment), environment)

        self.branch = QComboBox(self)
        self.branch.setObjectName("branchFilter")
        self.branch.setAccessibleName(self.tr("Branch"))
        self.branch.addItem(self.tr("All branches"), None)

        self.status = QComboBox(self)
        self.status.setObjectName("statusFilter")
        self.status.setAccessibleName(self.tr("Status"))
        self.status.addItem(self.tr("All statuses"), None)
        for status in DeploymentStatus:
            self.status.addItem(status_icon(status), status_text(status), status)

        self.order = QComboBox(self)
        self.order.setObjectName("sortOrder")
        self.order.setAccessibleName(self.tr("Sort"))
        self.order.addItem(self.tr("Latest first"), SortOrder.LATEST_FIRST)
        self.order.addItem(self.tr("Oldest first"), SortOrder.OLDEST_FIRST)

        for combo in (self.environment, self.branch, self.status, self.order):
            combo.currentIndexChanged.connect(self.reload)
            combo.setMinimumWidth(56)  # may shrink (eliding) so narrow windows still fit

        self.redeploy_button = QPushButton(self.tr("Redeploy"), self)
        self.redeploy_button.setObjectName("redeployFromDeploys")
        self.redeploy_button.setToolTip(self.tr("Build the store now with its current variables"))
        self.redeploy_button.clicked.connect(self.redeploy)

        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        for widget in (self.environment, self.branch, self.status, self.order):
            row.addWidget(widget)
        row.addSpacing(12)
        row.addWidget(self.redeploy_button)
        return row

    def _build_table(self) -> QTableView:
        table = read_only_table(
            "deploymentsTable",
            self.tr("Deployments"),
            self.model,
            self,
            stretch_column=DeploymentColumn.SOURCE,
        )
        table.selectionModel().selectionChanged.connect(self._on_selection)
        table.verticalScrollBar().valueChanged.connect(self._maybe_load_more)
        # Columns the user may resize and reorder (remembered, see save_layout); Source takes
        # the room left, Status and Elapsed follow their changing texts.
        header = table.horizontalHeader()
        header.setSectionsMovable(True)
        for column in _USER_SIZED_COLUMNS:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._on_column_resized)
        self.copy_id_action = add_table_action(
            table, self.tr("Copy deploy ID"), QKeySequence.StandardKey.Copy, self._copy_id
        )
        self.copy_commit_action = add_table_action(
            table, self.tr("Copy commit"), None, self._copy_commit
        )
        return table

    # -- what the user does ----------------------------------------------------------------------
    def query(self, offset: int = 0, limit: int | None = None) -> DeploymentQuery:
        # Combo boxes hand StrEnum data back as plain str: turn it into the enum again.
        environment, status = self.environment.currentData(), self.status.currentData()
        return DeploymentQuery(
            environment=Environment(environment) if environment else None,
            branch=self.branch.currentData() or None,
            status=DeploymentStatus(status) if status else None,
            search=self.search.text().strip(),
            order=SortOrder(self.order.currentData()),
            offset=offset,
            limit=limit or self.page_size,
        )

    def reload(self) -> None:
        """The filters changed: start again from the first page."""
        self._search_timer.stop()
        if self._context.store is not None:
            self._tasks.spawn(self._load(self.query(), replace=True))

    def refresh(self) -> None:
        """Something changed on the server: fetch again what is loaded, now or once shown."""
        self._loader.request()

    def load_more(self) -> None:
        if self._context.store is not None and self.model.rowCount() < self._total:
            self._tasks.spawn(self._load(self.query(offset=self.model.rowCount()), replace=False))

    def focus_find(self) -> None:
        """The window's Find (Ctrl+F) while this view is shown: with a deployment selected it
        finds in that deployment's log; pressed again in the log's find bar, or with nothing
        selected, it goes to the deployment search."""
        if not self.details.log_view.find_has_focus and self.details.find_in_log():
            return
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def redeploy(self) -> None:
        self._tasks.spawn(self._redeploy())

    def rerun(self, deployment_id: str) -> None:
        self._tasks.spawn(self._rerun(deployment_id))

    def cancel(self, deployment_id: str) -> None:
        self._tasks.spawn(self._cancel(deployment_id))

    def select_deployment(self, deployment_id: str) -> bool:
        row = self.model.row_of(deployment_id)
        if row is None:
            self._select_after_load = deployment_id
            return False
        self._table.selectRow(row)
        self._table.scrollTo(self.model.index(row, 0))
        return True

    # -- talking to the backend ------------------------------------------------------------------
    def _load_again(self) -> None:
        """Fetch what is loaded again, keeping the selection."""
        if self._context.store is not None:
            loaded = max(self.page_size, self.model.rowCount())
            self._tasks.spawn(self._load(self.query(limit=loaded), replace=True))

    async def _load(self, query: DeploymentQuery, *, replace: bool) -> None:
        if replace:
            self._list_version += 1
        version = self._list_version
        page = await read_current(
            self._context, lambda webops, store: webops.list_deployments(store.id, query)
        )
        if page is None or version != self._list_version:
            return
        self._total = page.total
        if replace:
            # Whoever watches the newest deployment keeps watching the newest one.
            follow_newest = self._newest_selected()
            self.model.set_deployments(page.items)
            if follow_newest and self.model.rowCount():
                self._select_after_load = self._select_after_load or self.model.deployment(0).id
            self._size_columns()
        else:
            self.model.append_deployments(page.items)
        self._remember_branches(page.items)
        self._show_count()
        self._after_load()

    async def _show_details(self, deployment_id: str) -> None:
        deployment = await read_current(
            self._context, lambda webops, store: webops.get_deployment(store.id, deployment_id)
        )
        if deployment is None or self._selected_id() != deployment_id:
            return
        self.model.update_deployment(deployment)
        webops, _store = self._context.require()
        self.details.show_deployment(webops, deployment)
        self._update_ticker()

    async def _redeploy(self) -> None:
        generation = self._context.generation
        self.redeploy_button.setEnabled(False)
        try:
            deployment = await entry_actions.redeploy(self._context, REDEPLOY_REASON)
        finally:
            self.redeploy_button.setEnabled(True)
        if deployment is not None and generation == self._context.generation:
            self.select_deployment(deployment.id)  # now, or once it is listed

    async def _rerun(self, deployment_id: str) -> None:
        webops, store = self._context.require()
        key = entry_actions.new_idempotency_key()  # one per click: a retry cannot run it twice
        await self._act(
            lambda: retry_transient(
                lambda: webops.rerun_deployment(store.id, deployment_id, idempotency_key=key)
            ),
            self.tr("Deployment created successfully"),
            self.tr("Failed to rerun the deployment. Please, try again."),
        )

    async def _cancel(self, deployment_id: str) -> None:
        webops, store = self._context.require()
        key = entry_actions.new_idempotency_key()
        await self._act(
            lambda: retry_transient(
                lambda: webops.cancel_deployment(store.id, deployment_id, idempotency_key=key)
            ),
            self.tr("Deployment canceled"),
            self.tr("Failed to cancel the deployment. Please, try again."),
        )

    async def _act(self, call: _DeploymentCall, done: str, failed: str) -> None:
        generation = self._context.generation
        self.details.setEnabled(False)
        try:
            deployment = await call()
        except WebOpsError as error:
            if generation == self._context.generation:
                self._context.toast.emit(f"{failed}\n{error.message}", "error")
            return
        finally:
            self.details.setEnabled(True)
        if generation != self._context.generation:
            return
        self._context.toast.emit(done, "success")
        self._select_after_load = deployment.id
        self._context.deploymentsChanged.emit()

    # -- reacting --------------------------------------------------------------------------------
    def _on_store_changed(self) -> None:
        self._tasks.cancel_all()
        self.model.set_deployments([])
        self.details.clear()
        self._total = 0
        self._show_count()
        # The other store's branches go; the one chosen stays chosen, as the other filters do.
        chosen = self.branch.currentData()
        self.branch.blockSignals(True)
        while self.branch.count() > 1:
            self.branch.removeItem(1)
        _choose(self.branch, chosen or "", add_missing=True)
        self.branch.blockSignals(False)
        self._loader.request()

    def _on_deployments_changed(self) -> None:
        self._refresh_timer.start()

    def _on_notification_clicked(self, deployment_id: str) -> None:
        self._context.showView.emit(self.view_name)
        self.select_deployment(deployment_id)

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        deployment = self._selected()
        if deployment is None:
            self.details.clear()
            return
        if self._context.webops is not None:  # what the list knows now, the rest when read
            self.details.show_deployment(self._context.webops, deployment)
        self._tasks.spawn(self._show_details(deployment.id))

    def _after_load(self) -> None:
        wanted = self._select_after_load
        if wanted is not None and self.model.row_of(wanted) is not None:
            self._select_after_load = None
            if self._selected_id() != wanted:
                self.select_deployment(wanted)  # -> _on_selection shows it
                return
        selected = self._selected_id()
        if selected is not None:
            self._tasks.spawn(self._show_details(selected))
        elif self.model.rowCount():
            self._table.selectRow(0)
        else:
            self.details.clear()
        self._update_ticker()

    def _maybe_load_more(self, value: int) -> None:
        if value >= self._table.verticalScrollBar().maximum():
            self.load_more()

    def _tick(self) -> None:
        self.model.tick()
        self.details.tick()
        self._update_ticker()

    def _update_ticker(self) -> None:
        details = self.details.deployment
        running = self.model.has_running or (details is not None and not details.status.finished)
        if running and self.isVisible():
            self._ticker.start()
        else:
            self._ticker.stop()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._loader.shown()
        self._update_ticker()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._ticker.stop()

    # -- layout, remembered between starts --------------------------------------------------------
    def _remembered_filters(self) -> tuple[tuple[QComboBox, Key], ...]:
        return (
            (self.environment, Key.DEPLOYS_ENVIRONMENT),
            (self.branch, Key.DEPLOYS_BRANCH),
            (self.status, Key.DEPLOYS_STATUS),
            (self.order, Key.DEPLOYS_ORDER),
        )

    def restore_layout(self, settings: Settings) -> None:
        """The filters, splitters and columns as `save_layout` left them (the main window calls
        it once the view is built, before a store opens)."""
        for combo, key in self._remembered_filters():
            combo.blockSignals(True)
            _choose(combo, settings.get(key), add_missing=combo is self.branch)
            combo.blockSignals(False)
        self._splitter.restoreState(settings.get(Key.DEPLOYS_SPLITTER))
        self.details.steps_splitter.restoreState(settings.get(Key.DEPLOYS_STEPS_SPLITTER))
        self._fitting_columns = True  # widths restored are the user's only if they were
        restored = self._table.horizontalHeader().restoreState(settings.get(Key.DEPLOYS_COLUMNS))
        self._fitting_columns = False
        self._columns_sized = restored and settings.get(Key.DEPLOYS_COLUMNS_SIZED)
        self._size_columns()
        self.reload()

    def save_layout(self, settings: Settings) -> None:
        """Filter choices are names (an environment, a branch, a status, an order): no value."""
        for combo, key in self._remembered_filters():
            settings.set(key, str(combo.currentData() or ""))
        settings.set(Key.DEPLOYS_SPLITTER, self._splitter.saveState())
        settings.set(Key.DEPLOYS_STEPS_SPLITTER, self.details.steps_splitter.saveState())
        settings.set(Key.DEPLOYS_COLUMNS, self._table.horizontalHeader().saveState())
        settings.set(Key.DEPLOYS_COLUMNS_SIZED, self._columns_sized)

    def _size_columns(self) -> None:
        """Fit the columns to the rows shown, until the user sizes one."""
        if self._columns_sized:
            return
        self._fitting_columns = True
        for column in _USER_SIZED_COLUMNS:
            self._table.resizeColumnToContents(column)
        self._fitting_columns = False

    def _on_column_resized(self, column: int, _old: int, _new: int) -> None:
        if not self._fitting_columns and column in _USER_SIZED_COLUMNS:
            self._columns_sized = True  # dragged (or double-clicked) by the user

    # -- small helpers ---------------------------------------------------------------------------
    def _selected_id(self) -> str | None:
        deployment = self._selected()
        return deployment.id if deployment is not None else None

    def _selected(self) -> Deployment | None:
        rows = self._table.selectionModel().selectedRows()
        return self.model.deployment(rows[0].row()) if rows else None

    def _copy_id(self) -> None:
        deployment = self._selected()
        if deployment is not None:
            QGuiApplication.clipboard().setText(deployment.id)

    def _copy_commit(self) -> None:
        deployment = self._selected()
        if deployment is not None and deployment.source.commit:
            QGuiApplication.clipboard().setText(deployment.source.commit)

    def _newest_selected(self) -> bool:
        rows = self._table.selectionModel().selectedRows()
        latest_first = self.order.currentData() == SortOrder.LATEST_FIRST
        return latest_first and bool(rows) and rows[0].row() == 0

    def _remember_branches(self, items: tuple[Deployment, ...]) -> None:
        known = {self.branch.itemData(i) for i in range(1, self.branch.count())}
        for branch in sorted({d.source.branch for d in items} - known - {""}):
            self.branch.addItem(branch, branch)

    def _show_count(self) -> None:
        shown = self.model.rowCount()
        query = self.query()
        if self._total == 0 and (query.environment or query.branch or query.status or query.search):
            self._more.setText(self.tr("No deployments match."))
        elif self._total == 0:
            self._more.setText(self.tr("No deployments yet. Redeploy to build the store."))
        elif shown < self._total:
            self._more.setText(
                self.tr("Showing {shown} of {total}; scroll down for more.").format(
                    shown=shown, total=self._total
                )
            )
        else:
            self._more.setText(self.tr("Deployments: {total}").format(total=self._total))

    @property
    def table(self) -> QTableView:
        return self._table


#: The columns the user sizes (Source stretches; Status and Elapsed fit their texts).
_USER_SIZED_COLUMNS = (
    DeploymentColumn.ID,
    DeploymentColumn.AUTHOR,
    DeploymentColumn.ENVIRONMENT,
    DeploymentColumn.CREATED,
)


def _choose(combo: QComboBox, data: str, *, add_missing: bool = False) -> None:
    """Select the item holding `data` ("" selects the first). `add_missing` for the branches,
    which are listed as deployments of them load: a branch not listed yet is added."""
    index = combo.findData(data) if data else 0
    if index < 0 and add_missing:
        combo.addItem(data, data)
        index = combo.count() - 1
    if index >= 0:
        combo.setCurrentIndex(index)


def _single_shot(parent: QWidget, interval_ms: int, slot: Callable[[], None]) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval_ms)
    timer.timeout.connect(slot)
    return timer
