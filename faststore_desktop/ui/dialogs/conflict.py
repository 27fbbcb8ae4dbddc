"""Someone else changed an entry since it was read: show both versions, reload or overwrite."""

from __future__ import annotations

import enum

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from faststore_desktop.core.entries import Entry
from faststore_desktop.core.review import mask
from faststore_desktop.ui.formatting import format_when


class Resolution(enum.Enum):
    RELOAD = "reload"
    OVERWRITE = "overwrite"
    CANCEL = "cancel"


class ConflictDialog(QDialog):
    """`mine` is the entry as the user read it; `theirs` the stored one now (None: deleted)."""

    def __init__(self, mine: Entry, theirs: Entry | None, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(self.tr("%s was changed by someone else") % mine.key)
        self.resolution = Resolution.CANCEL
        intro = QLabel(
            self.tr(
                "%s changed since you opened it. Reload to see the current version, or "
                "overwrite it with yours."
            )
            % mine.key,
            self,
        )
        intro.setWordWrap(True)
        versions = QHBoxLayout()
        versions.addWidget(self._card(self.tr("The version you edited"), mine))
        versions.addWidget(self._card(self.tr("The version stored now"), theirs))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.reload_button = QPushButton(self.tr("Reload"), self)
        self.overwrite_button = QPushButton(self.tr("Overwrite"), self)
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.overwrite_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.reload_button.clicked.connect(lambda: self._resolve(Resolution.RELOAD))
        self.overwrite_button.clicked.connect(lambda: self._resolve(Resolution.OVERWRITE))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(versions)
        layout.addWidget(buttons)

    def _resolve(self, resolution: Resolution) -> None:
        self.resolution = resolution
        self.accept()

    def _card(self, title: str, entry: Entry | None) -> QGroupBox:
        box = QGroupBox(title, self)
        form = QFormLayout(box)
        if entry is None:
            form.addRow(QLabel(self.tr("Deleted"), box))
            return box
        form.addRow(self.tr("Version"), QLabel(str(entry.version), box))
        form.addRow(self.tr("Type"), QLabel(entry.type.value.capitalize(), box))
        form.addRow(self.tr("Updated"), QLabel(format_when(entry.updated_at, long=True), box))
        form.addRow(self.tr("By"), QLabel(entry.author, box))
        form.addRow(self.tr("Value"), QLabel(mask(entry.value), box))
        return box
