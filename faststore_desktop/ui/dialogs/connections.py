"""Connections: "This computer" and WebOps API servers (URL and name; token in the keyring)."""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from faststore_desktop.settings import ServerConnection, Settings
from faststore_desktop.ui.icons import icon
from faststore_desktop.ui.retry import failure_text
from faststore_desktop.ui.session import Session
from faststore_desktop.ui.tasks import reporting, spawn
from faststore_desktop.webops.addresses import insecure_reason
from faststore_desktop.webops.errors import WebOpsError


class ConnectionsDialog(QDialog):
    def __init__(self, session: Session, settings: Settings, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionsDialog")
        self.setWindowTitle(self.tr("Connections"))
        self.resize(640, 420)
        self._session = session
        self._settings = settings

        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Connections"))
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.name_edit = QLineEdit(self)
        self.name_edit.setAccessibleName(self.tr("Name"))
        self.name_edit.setPlaceholderText(self.tr("e.g. Team server"))
        self.url_edit = QLineEdit(self)
        self.url_edit.setAccessibleName(self.tr("Server URL"))
        self.url_edit.setPlaceholderText("https://webops.example.com")
        self.token_edit = QLineEdit(self)
        self.token_edit.setAccessibleName(self.tr("Token"))
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(self.tr("Kept in your system keyring"))
        self.test_button = QPushButton(self.tr("Test connection"), self)
        self.save_button = QPushButton(self.tr("Add server"), self)
        self.save_button.setObjectName("primary")
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        #: Why the typed URL is refused (plain http:// to another computer), shown inline.
        self._url_problem = ""
        self._lay_out()

        self.list.currentRowChanged.connect(self._selection_changed)
        self.remove_button.clicked.connect(lambda: spawn(self.remove_selected()))
        self.test_button.clicked.connect(lambda: spawn(self.test()))
        self.save_button.clicked.connect(lambda: spawn(self.save()))
        for edit in (self.name_edit, self.url_edit, self.token_edit):
            edit.textChanged.connect(self._input_changed)
        self._fill()
        self._input_changed()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("&Name"), self.name_edit)
        form.addRow(self.tr("&URL"), self.url_edit)
        form.addRow(self.tr("&Token"), self.token_edit)
        form_buttons = QHBoxLayout()
        form_buttons.addWidget(self.result_label, 1)
        form_buttons.addWidget(self.test_button)
        form_buttons.addWidget(self.save_button)
        list_row = QHBoxLayout()
        list_row.addWidget(self.list, 1)
        list_row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(list_row, 1)
        layout.addWidget(QLabel(self.tr("Add a WebOps API server"), self))
        layout.addLayout(form)
        layout.addLayout(form_buttons)
        layout.addWidget(close)

    def _fill(self) -> None:
        self.list.clear()
        for connection in self._session.connections():
            label = (
                connection.name if connection.is_local else f"{connection.name} — {connection.url}"
            )
            item = QListWidgetItem(icon("local" if connection.is_local else "deployments"), label)
            item.setData(Qt.ItemDataRole.UserRole, connection.id)
            self.list.addItem(item)
        self._selection_changed()

    def _selection_changed(self) -> None:
        item = self.list.currentItem()
        connection = (
            self._session.connection_by_id(item.data(Qt.ItemDataRole.UserRole)) if item else None
        )
        self.remove_button.setEnabled(connection is not None and not connection.is_local)

    def _url(self) -> str:
        return self.url_edit.text().strip().rstrip("/")

    def _input_changed(self) -> None:
        url = urlsplit(self._url())
        valid = url.scheme in ("http", "https") and bool(url.netloc)
        problem = insecure_reason(self._url()) if valid else ""
        if problem:
            self._show_result(problem, worked=False)
        elif self._url_problem:
            self._show_result("", worked=False)  # corrected: the warning goes
        self._url_problem = problem
        ready = valid and not problem and bool(self.token_edit.text())
        self.test_button.setEnabled(ready)
        self.save_button.setEnabled(ready and bool(self.name_edit.text().strip()))

    def _show_result(self, text: str, *, worked: bool, warn: bool = False) -> None:
        self.result_label.setText(text)
        kind = "error" if not worked else "warning" if warn else "success"
        self.result_label.setProperty("kind", kind)
        self.result_label.style().polish(self.result_label)

    async def test(self) -> bool:
        self.result_label.setText(self.tr("Testing…"))
        self.test_button.setEnabled(False)
        try:
            report = await self._session.access.test(self._url(), self.token_edit.text())
        finally:
            self._input_changed()
        # A viewer's token, or a role this app does not know, connects but may not change
        # everything: worth a warning, not a failure.
        self._show_result(report.message, worked=report.ok, warn=report.problem is not None)
        return report.ok

    def _show_failure(self, error: WebOpsError) -> None:
        """A save or removal that failed (a locked or missing keyring...): said under the
        fields, which keep what was typed."""
        message, details = failure_text(error)
        self._show_result(f"{message}\n{details}" if details else message, worked=False)

    async def save(self) -> None:
        url, name = self._url(), self.name_edit.text().strip()
        if problem := insecure_reason(url):  # what was typed stays, to be corrected
            self._show_result(problem, worked=False)
            return
        with reporting(self._show_failure):
            await self._session.access.save_token(url, self.token_edit.text())
            servers = [s for s in self._settings.servers() if s.url != url]
            self._settings.set_servers([*servers, ServerConnection(name, url)])
            self._session.storesChanged.emit()
            for edit in (self.name_edit, self.url_edit, self.token_edit):
                edit.clear()
            self._show_result(self.tr("%s added.") % name, worked=True)
            self._fill()

    async def remove_selected(self) -> None:
        if self.list.currentRow() < 0:
            return
        url = str(self.list.currentItem().data(Qt.ItemDataRole.UserRole))
        if self._session.connection is not None and self._session.connection.id == url:
            local = self._session.connections()[0]
            await self._session.open(local)
        with reporting(self._show_failure):  # the server stays listed while its token stays
            await self._session.access.forget_token(url)
            self._settings.set_servers([s for s in self._settings.servers() if s.url != url])
            self._settings.forget_store_folders(url)  # a server added again starts afresh
            self._session.storesChanged.emit()
            self._fill()
