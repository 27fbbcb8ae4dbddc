"""Activity: who changed what, when, in the store (the audit trail). Values are never shown.

Records are loaded newest first, a page at a time; the filter narrows what is loaded (the trail
is small enough per page for a proxy, and the protocol has no server-side audit filter).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.models.activity import (
    ActivityColumn,
    ActivityFilter,
    ActivityKind,
    ActivityModel,
)
from faststore_desktop.ui.view_tasks import OwnedTasks
from faststore_desktop.ui.views.loading import LoadWhenShown, read_current
from faststore_desktop.ui.widgets.read_only_table import read_only_table
from faststore_desktop.ui.widgets.view_header import view_layout

#: Records asked for per page.
PAGE_SIZE = 200
#: Changes arriving within this window cause one refresh.
REFRESH_DELAY_MS = 200

_KINDS = (
    (QT_TRANSLATE_NOOP("ActivityView", "All activity"), None),
    (QT_TRANSLATE_NOOP("ActivityView", "Variables and secrets"), ActivityKind.ENTRY),
    (QT_TRANSLATE_NOOP("ActivityView", "Deployments"), ActivityKind.DEPLOYMENT),
    (QT_TRANSLATE_NOOP("ActivityView", "Store settings"), ActivityKind.STORE),
)


class ActivityView(QWidget):
    view_name = "activity"

    def __init__(self, context: StoreContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(self.view_name)
        self._context = context
        self._tasks = OwnedTasks(self)
        self.page_size = PAGE_SIZE
        self._loader = LoadWhenShown(self, self._load_newest)
        self._request = 0
        self._exhausted = False

        self.model = ActivityModel(self)
        self.proxy = ActivityFilter(self)
        self.proxy.setSourceModel(self.model)

        self.filter = QLineEdit(self)
        self.filter.setObjectName("activityFilter")
        self.filter.setPlaceholderText(self.tr("Filter by person, action or key"))
        self.filter.setAccessibleName(self.tr("Filter activity"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._on_filter_changed)

        self.kind = QComboBox(self)
        self.kind.setObjectName("activityKind")
        self.kind.setAccessibleName(self.tr("Kind of activity"))
        for label, kind in _KINDS:
            self.kind.addItem(self.tr(str(label)), kind)
        self.kind.currentIndexChanged.connect(self._on_filter_changed)

        self.table = read_only_table(
            "activityTable",
            self.tr("Activity"),
            self.proxy,
            self,
            stretch_column=ActivityColumn.DETAIL,
        )

        self.count = QLabel(self)
        self.count.setObjectName("activityCount")
        self.load_more_button = QPushButton(self.tr("Load older activity"), self)
        self.load_more_button.setObjectName("loadOlderActivity")
        self.load_more_button.clicked.connect(self.load_more)

        filters = QHBoxLayout()
        filters.addWidget(self.filter, 1)
        filters.addWidget(self.kind)
        footer = QHBoxLayout()
        footer.addWidget(self.count, 1)
        footer.addWidget(self.load_more_button)
        layout = view_layout(
            self, self.tr("Who changed the store's variables, secrets, deployments and settings.")
        )
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        context.storeChanged.connect(self._on_store_changed)
        context.entriesChanged.connect(self._refresh_timer.start)
        context.deploymentsChanged.connect(self._refresh_timer.start)
        self._show_count()

    def focus_find(self) -> None:
        """The window's Find: the activity filter."""
        self.filter.setFocus()
        self.filter.selectAll()

    def refresh(self) -> None:
        """Load the newest page again (older pages stay loaded), now or once shown."""
        self._loader.request()

    def load_more(self) -> None:
        if self._context.store is not None and not self._exhausted:
            self._tasks.spawn(
                self._load(offset=self.model.rowCount(), limit=self.page_size, replace=False)
            )

    def _load_newest(self) -> None:
        if self._context.store is not None:
            limit = max(self.page_size, self.model.rowCount())
            self._tasks.spawn(self._load(offset=0, limit=limit, replace=True))

    async def _load(self, *, offset: int, limit: int, replace: bool) -> None:
        self._request += 1
        request = self._request
        records = await read_current(
            self._context,
            lambda webops, store: webops.audit_trail(store.id, offset=offset, limit=limit),
        )
        if records is None or request != self._request:
            return
        if replace:
            self.model.set_records(records)
        else:
            self.model.append_records(records)
        self._exhausted = len(records) < limit
        self._show_count()

    def _on_store_changed(self) -> None:
        self._tasks.cancel_all()
        self.model.set_records([])
        self._exhausted = False
        self._show_count()
        self._loader.request()

    def _on_filter_changed(self) -> None:
        kind = self.kind.currentData()  # a combo box hands StrEnum data back as str
        self.proxy.set_kind(ActivityKind(kind) if kind else None)
        self.proxy.set_text(self.filter.text())
        self._show_count()

    def _show_count(self) -> None:
        loaded, shown = self.model.rowCount(), self.proxy.rowCount()
        if loaded == 0:
            text = self.tr("No activity yet.")
        elif shown == loaded:
            text = self.tr("Records: {loaded}").format(loaded=loaded)
        else:
            text = self.tr("Matching: {shown} of {loaded}").format(shown=shown, loaded=loaded)
        self.count.setText(text)
        self.load_more_button.setVisible(loaded > 0 and not self._exhausted)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._loader.shown()
