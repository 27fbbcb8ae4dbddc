"""When the OS keyring is missing or locked: say what to do, or open with a passphrase instead."""

from __future__ import annotations

import enum

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

#: Short passphrases fall to guessing even through scrypt.
MIN_PASSPHRASE_LENGTH = 10


class Choice(enum.Enum):
    RETRY = "retry"
    PASSPHRASE = "passphrase"
    LATER = "later"


class KeyringMissingDialog(QDialog):
    """`reason` is the keychain's message (what to install or unlock). With `existing` the data
    is already protected by a passphrase: only that passphrase is asked for."""

    def __init__(
        self, reason: str, parent: QWidget | None, *, existing: bool = False, problem: str = ""
    ) -> None:
        super().__init__(parent)
        self.setObjectName("keyringDialog")
        self.setWindowTitle(
            self.tr("Enter your passphrase") if existing else self.tr("No keyring available")
        )
        self.setMinimumWidth(520)
        self.choice = Choice.LATER
        self._existing = existing
        explanation = QLabel(reason, self)
        explanation.setWordWrap(True)
        alternative = QLabel(
            self.tr("Enter the passphrase that protects your variables and secrets.")
            if existing
            else self.tr(
                "FastStore Desktop encrypts your variables and secrets with a key kept in your "
                "system keyring. Unlock or install one and choose Try again, or protect them "
                "with a passphrase instead: you will type it each time the app starts, and "
                "nobody can recover it for you."
            ),
            self,
        )
        alternative.setWordWrap(True)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        self.repeat = QLineEdit(self)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(self.tr("Repeat the passphrase"))
        self.problem = QLabel(problem, self)
        self.problem.setObjectName("formFailure")
        self.problem.setWordWrap(True)
        self.problem.setVisible(bool(problem))
        form = QFormLayout()
        form.addRow(self.tr("&Passphrase"), self.passphrase)
        if not existing:
            form.addRow(self.tr("&Repeat"), self.repeat)
        else:
            self.repeat.hide()

        buttons = QDialogButtonBox(self)
        self.use_button = QPushButton(
            self.tr("Open") if existing else self.tr("Use this passphrase"), self
        )
        self.use_button.setObjectName("primary")
        buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.AcceptRole)
        if not existing:
            self.retry_button = QPushButton(self.tr("Try again"), self)
            buttons.addButton(self.retry_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.retry_button.clicked.connect(lambda: self._finish(Choice.RETRY))
        later = buttons.addButton(self.tr("Not now"), QDialogButtonBox.ButtonRole.RejectRole)
        later.clicked.connect(self.reject)
        self.use_button.clicked.connect(lambda: self._finish(Choice.PASSPHRASE))
        self.passphrase.textChanged.connect(self._check)
        self.repeat.textChanged.connect(self._check)

        layout = QVBoxLayout(self)
        if not existing:
            layout.addWidget(explanation)
        layout.addWidget(alternative)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self._check()

    def _check(self) -> None:
        text = self.passphrase.text()
        if self._existing:
            self.use_button.setEnabled(bool(text))
            return
        if text and len(text) < MIN_PASSPHRASE_LENGTH:
            self._say(self.tr("Use at least %d characters.") % MIN_PASSPHRASE_LENGTH)
        elif self.repeat.text() and self.repeat.text() != text:
            self._say(self.tr("The two passphrases differ."))
        else:
            self._say("")
        self.use_button.setEnabled(
            len(text) >= MIN_PASSPHRASE_LENGTH and self.repeat.text() == text
        )

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _finish(self, choice: Choice) -> None:
        self.choice = choice
        self.accept()
