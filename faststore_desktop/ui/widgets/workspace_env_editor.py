"""The vtex.env editor: a table and the raw text of the same document, saved atomically.

Both views edit one `DotenvDocument`, through the core's writer, so comments, order and lines it
does not understand are kept whichever view the user types in. The file on disk is polled for
changes made by other programs; such a change is offered for reload, never silently merged.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from faststore_desktop.core.dotenv import DotenvDocument, parse_dotenv
from faststore_desktop.core.workspace.envfile import (
    ABSENT,
    EnvFileError,
    ExternalChangeError,
    FileStamp,
    has_changed_async,
    read_env_file_async,
    write_env_file_async,
)
from faststore_desktop.ui.models.dotenv_table import DotenvColumn, DotenvTableModel
from faststore_desktop.ui.tasks import spawn
from faststore_desktop.ui.widgets.lint_list import LintList

#: How often the file on disk is checked for changes by other programs.
POLL_MS = 1500
#: Typing in the raw text is parsed after this pause.
PARSE_DELAY_MS = 250
NEW_KEY_PREFIX = "NEW_KEY"
#: Shown values are masked again after this long, as on the Variables view.
REVEAL_MS = 30_000


class EnvEditor(QWidget):
    #: The document changed (edited, loaded or saved).
    documentChanged = Signal()
    #: (message, kind) for the window's toasts.
    notice = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("envEditor")
        self._path: Path | None = None
        self._backup: Path | None = None
        self._stamp: FileStamp = ABSENT
        self._saved_text = ""
        self._polling = False
        self._syncing = False

        self.model = DotenvTableModel(self)
        self.model.edited.connect(self._on_table_edited)
        self.model.editFailed.connect(lambda message: self.notice.emit(message, "error"))
        self._build_views()
        self._build_tools()
        self._build_banner()
        self.lints = LintList(self)

        tools = QHBoxLayout()
        for widget in (
            self.show_values,
            self.add_button,
            self.remove_button,
            self.reload_button,
            self.save_button,
        ):
            tools.addWidget(widget)
        tools.insertWidget(0, self.path_label, 1)
        layout = QVBoxLayout(self)  # the margins of the other tabs' pages
        layout.addLayout(tools)
        layout.addWidget(self.banner)
        layout.addWidget(self.views, 1)
        layout.addWidget(self.lints)

        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(POLL_MS)
        self._poll_timer.timeout.connect(self._poll)

    def _build_views(self) -> None:
        self.table = QTableView(self)
        self.table.setObjectName("envTable")
        self.table.setAccessibleName(self.tr("vtex.env keys and values"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(DotenvColumn.KEY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DotenvColumn.VALUE, QHeaderView.ResizeMode.Stretch)

        self.raw = QPlainTextEdit(self)
        self.raw.setObjectName("envRaw")
        self.raw.setAccessibleName(self.tr("vtex.env text"))
        self.raw.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.raw.textChanged.connect(self._on_raw_typed)
        self._parse_timer = QTimer(self)
        self._parse_timer.setSingleShot(True)
        self._parse_timer.setInterval(PARSE_DELAY_MS)
        self._parse_timer.timeout.connect(self._parse_raw)

        self.views = QTabWidget(self)
        self.views.setObjectName("envViews")
        self.views.setDocumentMode(True)
        self.views.addTab(self.table, self.tr("Table"))
        self.views.addTab(self.raw, self.tr("Text"))
        self.views.currentChanged.connect(self._flush_typing)

    def _build_tools(self) -> None:
        self.show_values = QCheckBox(self.tr("Show values"), self)
        self.show_values.setObjectName("showEnvValues")
        self.show_values.toggled.connect(self._on_show_values)
        self._reveal_timer = QTimer(self)
        self._reveal_timer.setSingleShot(True)
        self._reveal_timer.setInterval(REVEAL_MS)
        self._reveal_timer.timeout.connect(lambda: self.show_values.setChecked(False))
        self.add_button = QPushButton(self.tr("Add key"), self)
        self.add_button.clicked.connect(self.add_key)
        self.remove_button = QPushButton(self.tr("Remove key"), self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.reload_button = QPushButton(self.tr("Reload"), self)
        self.reload_button.clicked.connect(self.reload)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setObjectName("saveEnv")
        self.save_button.clicked.connect(self.save)
        self.save_button.setEnabled(False)
        self.path_label = QLabel(self)
        self.path_label.setObjectName("envPath")

    def _build_banner(self) -> None:
        self.banner = QFrame(self)
        self.banner.setObjectName("envChangedBanner")
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner_text = QLabel(self.banner)
        self.banner_text.setWordWrap(True)
        banner_reload = QPushButton(self.tr("Reload from disk"), self.banner)
        banner_reload.setObjectName("reloadChangedEnv")
        banner_reload.clicked.connect(self.reload)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.addWidget(self.banner_text, 1)
        banner_layout.addWidget(banner_reload)
        self.banner.hide()

    # -- state --------------------------------------------------------------------------------

    @property
    def document(self) -> DotenvDocument:
        return self.model.document

    @property
    def dirty(self) -> bool:
        return self.document.render() != self._saved_text

    def values(self) -> dict[str, str]:
        return self.document.values()

    # -- file ---------------------------------------------------------------------------------

    @property
    def path(self) -> Path | None:
        return self._path

    def open_file(self, path: Path | None, backup: Path | None) -> None:
        """Edit `path` (None: no folder chosen), read by the next `load()`; `backup` keeps the
        previous content at each save."""
        self._path, self._backup = path, backup
        self.setEnabled(path is not None)
        self._poll_timer.stop()
        self._show(parse_dotenv(""), "", ABSENT)

    def reload(self) -> None:
        if self._path is not None:
            spawn(self.load())

    async def load(self) -> None:
        path = self._path
        if path is None:
            return
        try:
            loaded = await read_env_file_async(path)
        except EnvFileError as error:
            self.notice.emit(error.message, "error")
            return
        if path != self._path:
            return  # another folder was chosen meanwhile
        self._show(parse_dotenv(loaded.text), loaded.text, loaded.stamp)
        if self.isVisible():
            self._poll_timer.start()

    def save(self) -> None:
        spawn(self.write())

    async def write(self) -> bool:
        if self._path is None:
            return False
        self._flush_typing()
        text = self.document.render()
        try:
            stamp = await write_env_file_async(
                self._path, text, expected=self._stamp, backup=self._backup
            )
        except ExternalChangeError as error:
            self._offer_reload(error.message)
            return False
        except EnvFileError as error:
            self.notice.emit(error.message, "error")
            return False
        self._stamp, self._saved_text = stamp, text
        self.banner.hide()
        self._update_state()
        self.notice.emit(self.tr("vtex.env saved"), "success")
        return True

    def replace_text(self, text: str) -> None:
        """Put `text` in the editor as an unsaved edit (e.g. the result of a pull)."""
        self._show(parse_dotenv(text), self._saved_text, self._stamp)

    # -- editing ------------------------------------------------------------------------------

    def add_key(self) -> None:
        taken = set(self.values())
        number = 1
        while (key := f"{NEW_KEY_PREFIX}_{number}") in taken:
            number += 1
        if self.model.set_value(key, ""):
            row = self.model.rowCount() - 1
            self.views.setCurrentWidget(self.table)
            self.table.edit(self.model.index(row, DotenvColumn.KEY))

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        for key in [self.model.key_at(row) for row in rows]:
            self.model.remove_key(key)

    def _on_show_values(self, shown: bool) -> None:
        self.model.set_values_visible(shown)
        if shown:
            self._reveal_timer.start()
        else:
            self._reveal_timer.stop()

    def _on_table_edited(self) -> None:
        self._syncing = True
        self.raw.setPlainText(self.document.render())
        self._syncing = False
        self._update_state()

    def _on_raw_typed(self) -> None:
        if not self._syncing:
            self._parse_timer.start()

    def _parse_raw(self) -> None:
        self._parse_timer.stop()
        self.model.set_document(parse_dotenv(self.raw.toPlainText()))
        self._update_state()

    def _flush_typing(self) -> None:
        """Parse the raw text now if the user typed since the last parse."""
        if self._parse_timer.isActive():
            self._parse_raw()

    def _show(self, document: DotenvDocument, saved_text: str, stamp: FileStamp) -> None:
        self._parse_timer.stop()
        self._stamp, self._saved_text = stamp, saved_text
        self.model.set_document(document)
        self._syncing = True
        self.raw.setPlainText(document.render())
        self._syncing = False
        self.banner.hide()
        self._update_state()

    def _update_state(self) -> None:
        dirty = self._path is not None and self.dirty
        self.save_button.setEnabled(dirty)
        count = self.model.rowCount()
        state = (
            self.tr("No code folder chosen")
            if self._path is None
            else self.tr("%n key(s), unsaved changes", "", count)
            if dirty
            else self.tr("%n key(s), saved", "", count)
            if self._stamp != ABSENT
            else self.tr("No vtex.env yet: it is created when you save")
        )
        self.path_label.setText(state)
        self.lints.set_findings(self.document.findings)
        self.documentChanged.emit()

    # -- changes by other programs ------------------------------------------------------------

    def _poll(self) -> None:
        if self._path is not None and not self._polling and self.banner.isHidden():
            spawn(self._check_disk(self._path, self._stamp))

    async def _check_disk(self, path: Path, stamp: FileStamp) -> None:
        self._polling = True
        try:
            changed = await has_changed_async(path, stamp)
        except EnvFileError:
            changed = True
        finally:
            self._polling = False
        if changed and path == self._path and stamp == self._stamp:
            self._offer_reload(self.tr("vtex.env was changed by another program."))

    def _offer_reload(self, message: str) -> None:
        if self.dirty:
            message += " " + self.tr("Reloading discards your unsaved changes.")
        self.banner_text.setText(message)
        self.banner.show()

    # Only a visible editor watches the disk.

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._path is not None:
            self._poll_timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self._poll_timer.stop()
        self.show_values.setChecked(False)
        super().hideEvent(event)
