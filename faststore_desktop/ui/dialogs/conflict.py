"""Someone else changed an entry since it was read, or added a key the user was adding: show
both versions, reload or overwrite."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

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

from faststore_desktop.core.entries import Entry, EntryType
from faststore_desktop.core.review import mask
from faststore_desktop.ui.formatting import format_when


class Resolution(enum.Enum):
    RELOAD = "reload"
    OVERWRITE = "overwrite"
    CANCEL = "cancel"


@dataclass(frozen=True, slots=True)
class NewEntry:
    """What the user typed to add `key` (nothing was read: the key was not listed yet)."""

    key: str
    type: EntryType
    value: str = field(repr=False)


class ConflictDialog(QDialog):
    """`mine` is the entry as the user read it, or a `NewEntry` they were adding; `theirs` the
    stored one now (None: deleted)."""

    def __init__(
        self, mine: Entry | NewEntry, theirs: Entry | None, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.resolution = Resolution.CANCEL
        if isinstance(mine, NewEntry):
            self.setWindowTitle(self.tr("%s was added by someone else") % mine.key)
            text = self.tr(
                "Someone added %s since the list was loaded. Reload to see it, or update it "
                "with the value you typed."
            )
            yours = self._typed_card(mine)
            overwrite = self.tr("Update with yours")
        else:
            self.setWindowTitle(self.tr("%s was changed by someone else") % mine.key)
            text = self.tr(
                "%s changed since you opened it. Reload to see the current version, or "
                "overwrite it with yours."
            )
            yours = self._card(self.tr("The version you edited"), mine, "yourVersion")
            overwrite = self.tr("Overwrite")
        intro = QLabel(text % mine.key, self)
        intro.setObjectName("conflictIntro")
        intro.setWordWrap(True)
        versions = QHBoxLayout()
        versions.addWidget(yours)
        versions.addWidget(self._card(self.tr("The version stored now"), theirs, "storedVersion"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.reload_button = QPushButton(self.tr("Reload"), self)
        self.overwrite_button = QPushButton(overwrite, self)
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

    def _typed_card(self, typed: NewEntry) -> QGroupBox:
        box = QGroupBox(self.tr("What you typed"), self)
        box.setObjectName("yourVersion")
        form = QFormLayout(box)
        form.addRow(self.tr("Type"), QLabel(_type_text(typed.type), box))
        form.addRow(self.tr("Value"), QLabel(mask(typed.value), box))
        return box

    def _card(self, title: str, entry: Entry | None, name: str) -> QGroupBox:
        box = QGroupBox(title, self)
        box.setObjectName(name)
        form = QFormLayout(box)
        if entry is None:
            form.addRow(QLabel(self.tr("Deleted"), box))
            return box
        form.addRow(self.tr("Version"), QLabel(str(entry.version), box))
        form.addRow(self.tr("Type"), QLabel(_type_text(entry.type), box))
        form.addRow(self.tr("Updated"), QLabel(format_when(entry.updated_at, long=True), box))
        form.addRow(self.tr("By"), QLabel(entry.author, box))
        form.addRow(self.tr("Value"), QLabel(mask(entry.value), box))
        return box


def _type_text(type: EntryType) -> str:
    return type.value.capitalize()
