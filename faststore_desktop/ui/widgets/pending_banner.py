"""The banner shown while changes wait for a deployment, with its Redeploy button."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from faststore_desktop.ui.icons import icon


class PendingBanner(QFrame):
    redeployRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pendingBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        badge = QLabel(self)
        badge.setPixmap(icon("pending").pixmap(18, 18))
        self.message = QLabel(
            self.tr(
                "Variables have changed. Changes will take effect in the next successful "
                "deployment."
            ),
            self,
        )
        self.message.setWordWrap(True)
        self.button = QPushButton(icon("redeploy"), self.tr("Redeploy"), self)
        self.button.setObjectName("primary")
        self.button.setAccessibleName(self.tr("Redeploy"))
        self.button.clicked.connect(self.redeployRequested)
        layout.addWidget(badge)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.button)
        self.setAccessibleName(self.message.text())
        self.hide()

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.button.setText(self.tr("Redeploying…") if busy else self.tr("Redeploy"))
