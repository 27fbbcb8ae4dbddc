"""The diff shown before pulling WebOps into vtex.env; nothing is written unless accepted."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from faststore_desktop.core.workspace.pull import PullAction, PullPlan
from faststore_desktop.ui.widgets.read_only_table import read_only_table
from faststore_desktop.ui.widgets.workspace_rows import Row, RowsModel, Tone

_TONES = {
    PullAction.ADD: Tone.OK,
    PullAction.UPDATE: Tone.WARNING,
    PullAction.FILL_BY_HAND: Tone.INFO,
    PullAction.CANNOT_WRITE: Tone.ERROR,
}


class PullDialog(QDialog):
    def __init__(self, plan: PullPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pullDialog")
        self.setWindowTitle(self.tr("Pull from WebOps into vtex.env"))
        self.resize(760, 420)
        self.model = RowsModel(
            [self.tr("Key"), self.tr("Change"), self.tr("vtex.env now"), self.tr("After")], self
        )
        self.model.set_rows(
            [
                Row(
                    (row.key, self.tr(row.action.value), row.before or "—", row.after or "—"),
                    row,
                    _TONES.get(row.action),
                    row.note,
                )
                for row in plan.rows
            ]
        )
        table = read_only_table(
            "pullTable", self.tr("Changes to vtex.env"), self.model, self, stretch_column=3
        )
        summary = QLabel(self._summary(plan), self)
        summary.setObjectName("pullSummary")
        summary.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.write_button = buttons.addButton(
            self.tr("Write vtex.env"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.write_button.setEnabled(plan.writes)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(table, 1)
        layout.addWidget(buttons)

    def _summary(self, plan: PullPlan) -> str:
        parts = [
            self.tr("%n text value(s) will be copied from WebOps.", "", len(plan.changes))
            if plan.changes
            else self.tr("vtex.env already has every text value of WebOps.")
        ]
        if plan.fill_by_hand:
            parts.append(
                self.tr(
                    "Secrets cannot be read back from WebOps; fill these in by hand: {keys}."
                ).format(keys=", ".join(plan.fill_by_hand))
            )
        parts.append(self.tr("Secrets already in vtex.env and keys only in vtex.env are kept."))
        return " ".join(parts)
