"""Asking for the value of a key known only from secrets.hidden.json (typed hidden)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class SupplyValueDialog(QDialog):
    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supplyValueDialog")
        self.setWindowTitle(self.tr("Value of {key}").format(key=key))
        explanation = QLabel(
            self.tr(
                "{key} is only in secrets.hidden.json, which this app does not decrypt. Type or "
                "paste its value."
            ).format(key=key),
            self,
        )
        explanation.setWordWrap(True)
        self.value = QLineEdit(self)
        self.value.setObjectName("suppliedValue")
        self.value.setAccessibleName(self.tr("Value of {key}").format(key=key))
        self.value.setEchoMode(QLineEdit.EchoMode.Password)
        show = QCheckBox(self.tr("Show value"), self)
        show.toggled.connect(
            lambda shown: self.value.setEchoMode(
                QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
            )
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.value)
        layout.addWidget(show)
        layout.addWidget(buttons)
        self.resize(460, self.sizeHint().height())
