"""The Type / Key / Value form, used to add an entry and (in a dialog) to update one.

The core's lints run as the user types: errors disable the button, warnings are confirmed when
it is pressed. What the user typed stays until the entry is saved.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from faststore_desktop.core.entries import Entry, EntryType
from faststore_desktop.core.validation import Finding, Severity, has_errors, lint_entry
from faststore_desktop.core.validation import looks_sensitive as key_looks_sensitive
from faststore_desktop.ui.dialogs.run import confirm
from faststore_desktop.ui.icons import icon
from faststore_desktop.ui.tasks import spawn
from faststore_desktop.ui.widgets.lint_list import LintList

_LINT_DELAY_MS = 120


class EntryForm(QWidget):
    """Emits `submitted` once the input passed the lints (and the user confirmed warnings)."""

    submitted = Signal()

    def __init__(self, parent: QWidget | None = None, *, editing: Entry | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entryForm")
        self._editing = editing
        self._existing: frozenset[str] = frozenset()
        self._type_chosen = editing is not None

        self.type_box = QComboBox(self)
        self.type_box.addItem(icon("text"), self.tr("Text"), EntryType.TEXT)
        self.type_box.addItem(icon("lock"), self.tr("Secret"), EntryType.SECRET)
        self.type_box.setAccessibleName(self.tr("Type"))
        self.key_edit = QLineEdit(self)
        self.key_edit.setAccessibleName(self.tr("Key"))
        self.key_edit.setPlaceholderText(self.tr("e.g. FS_DISCOVERY_APP_KEY"))
        self.value_edit = QPlainTextEdit(self)
        self.value_edit.setAccessibleName(self.tr("Value"))
        self.value_edit.setTabChangesFocus(True)
        self.value_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.value_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.lints = LintList(self)
        self.failure = QLabel(self)
        self.failure.setObjectName("formFailure")
        self.failure.setWordWrap(True)
        self.failure.hide()
        self.details_button = QToolButton(self)
        self.details_button.setText(self.tr("Details"))
        self.details_button.setCheckable(True)
        self.details_button.hide()
        self.details = QLabel(self)
        self.details.setObjectName("formFailureDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.hide()
        self.details_button.toggled.connect(self.details.setVisible)
        self.submit_button = QPushButton(self.tr("Update") if editing else self.tr("Add"), self)
        self.submit_button.setObjectName("primary")
        self.submit_button.setDefault(True)
        self.submit_button.setAccessibleName(self.submit_button.text())

        self._lay_out()
        if editing is not None:
            self._load(editing)
        self._lint_timer = QTimer(self)
        self._lint_timer.setSingleShot(True)
        self._lint_timer.setInterval(_LINT_DELAY_MS)
        self._lint_timer.timeout.connect(self.relint)
        self.key_edit.textChanged.connect(self._input_changed)
        self.value_edit.textChanged.connect(self._input_changed)
        self.type_box.activated.connect(self._type_activated)
        self.submit_button.clicked.connect(self.request_submit)
        self.relint()

    # -- what the user typed ------------------------------------------------------------------

    def key(self) -> str:
        return self.key_edit.text().strip()

    def entry_type(self) -> EntryType:
        return EntryType(self.type_box.currentData())

    def value(self) -> str:
        return self.value_edit.toPlainText()

    def set_type(self, type: EntryType) -> None:
        self.type_box.setCurrentIndex(self.type_box.findData(type))
        self._type_chosen = True
        self.relint()

    def set_existing_keys(self, keys: Iterable[str]) -> None:
        self._existing = frozenset(keys)
        self.relint()

    def findings(self) -> list[Finding]:
        return self.lints.findings()

    # -- states -------------------------------------------------------------------------------

    def add_button(self, button: QPushButton) -> None:
        """Another button on the row of the submit button, before it (e.g. Cancel)."""
        self._buttons.insertWidget(self._buttons.count() - 1, button)

    def set_busy(self, busy: bool) -> None:
        for widget in (self.type_box, self.key_edit, self.value_edit):
            widget.setEnabled(not busy)
        self.submit_button.setEnabled(not busy and self._can_submit())

    def show_failure(
        self, message: str, details: str = "", findings: Iterable[Finding] = ()
    ) -> None:
        """A failure that persisted: the message, the reason on demand; the input stays."""
        self.failure.setText(message)
        self.failure.setAccessibleName(message)
        self.failure.show()
        self.details.setText(details)
        self.details_button.setVisible(bool(details))
        self.details_button.setChecked(False)
        extra = list(findings)
        if extra:
            self.lints.set_findings(extra)

    def clear_failure(self) -> None:
        self.failure.hide()
        self.details_button.hide()
        self.details.hide()

    def reset(self) -> None:
        """Empty the form after a successful add."""
        self.key_edit.clear()
        self.value_edit.clear()
        self.type_box.setCurrentIndex(0)
        self._type_chosen = False
        self.clear_failure()
        self.relint()

    # -- behaviour ----------------------------------------------------------------------------

    def relint(self) -> None:
        key, value = self.key(), self.value()
        if self._editing is None and not key and not value:
            findings: list[Finding] = []  # an untouched form shows no complaints
        else:
            others = self._existing - {key}
            findings = lint_entry(key, self.entry_type(), value, existing_keys=others)
            if self._editing is None and key in self._existing:
                findings.append(
                    Finding(
                        Severity.ERROR,
                        "key-exists",
                        self.tr("%s already exists: use Edit in its ⋮ menu to change it.") % key,
                        key,
                    )
                )
        self.lints.set_findings(findings)
        self.submit_button.setEnabled(self._can_submit())

    def _can_submit(self) -> bool:
        """A key, no error, and for an update something to change."""
        editing = self._editing
        unchanged = (
            editing is not None
            and not editing.is_secret
            and self.value() == editing.value
            and self.entry_type() is editing.type
        )
        return bool(self.key()) and not has_errors(self.findings()) and not unchanged

    def request_submit(self) -> None:
        self.relint()
        if not self.submit_button.isEnabled():
            return
        warnings = [f.message for f in self.findings() if f.severity == Severity.WARNING]
        if not warnings:
            self.submitted.emit()
            return
        spawn(self._confirm_then_submit(warnings))

    async def _confirm_then_submit(self, warnings: list[str]) -> None:
        verb = self.tr("Update") if self._editing else self.tr("Add")
        question = self.tr("Save %s despite these warnings?") % self.key()
        if await confirm(self, verb, question, details="\n".join(warnings), accept=verb):
            self.submitted.emit()

    def _input_changed(self) -> None:
        self.clear_failure()
        if not self._type_chosen and key_looks_sensitive(self.key()):
            self.type_box.setCurrentIndex(self.type_box.findData(EntryType.SECRET))
        self._lint_timer.start()

    def _type_activated(self) -> None:
        self._type_chosen = True
        self.relint()

    def _load(self, entry: Entry) -> None:
        self.key_edit.setText(entry.key)
        self.key_edit.setReadOnly(True)
        self.type_box.setCurrentIndex(self.type_box.findData(entry.type))
        if entry.is_secret:
            self.value_edit.setPlaceholderText(
                self.tr("Enter the new value (the current one can't be shown)")
            )
        else:
            self.value_edit.setPlainText(entry.value or "")

    def _lay_out(self) -> None:
        fields = QFormLayout()
        fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        fields.addRow(self.tr("&Type"), self.type_box)
        fields.addRow(self.tr("&Key"), self.key_edit)
        fields.addRow(self.tr("&Value"), self.value_edit)
        failure_row = QHBoxLayout()
        failure_row.addWidget(self.failure, 1)
        failure_row.addWidget(self.details_button)
        self._buttons = QHBoxLayout()
        self._buttons.addStretch(1)
        self._buttons.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(fields)
        layout.addWidget(self.lints)
        layout.addLayout(failure_row)
        layout.addWidget(self.details)
        layout.addLayout(self._buttons)
