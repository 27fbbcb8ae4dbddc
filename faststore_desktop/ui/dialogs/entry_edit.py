"""Updating one entry: the entry form in a dialog, with its key fixed."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from faststore_desktop.core.entries import Entry
from faststore_desktop.ui.widgets.entry_form import EntryForm


class EntryEditDialog(QDialog):
    def __init__(self, entry: Entry, existing_keys: Iterable[str], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.setObjectName("entryEditDialog")
        self.setWindowTitle(self.tr("Edit %s") % entry.key)
        self.setMinimumWidth(520)
        note = QLabel(
            self.tr("Version {version}, updated by {author}.").format(
                version=entry.version, author=entry.author
            ),
            self,
        )
        note.setObjectName("secondary")
        self.form = EntryForm(self, editing=entry)
        self.form.set_existing_keys(existing_keys)
        cancel = QPushButton(self.tr("Cancel"), self)
        cancel.clicked.connect(self.reject)
        self.form.add_button(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.form)
