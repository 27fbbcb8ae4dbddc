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


class Mode(enum.Enum):
    #: No keyring and no data yet: unlock one and try again, or set a passphrase.
    CHOOSE = "choose"
    #: The data is protected by a passphrase: only that passphrase is asked for.
    ENTER = "enter"
    #: The data was saved with the keyring's key: only the keyring opens it, no passphrase does.
    KEYRING_ONLY = "keyring-only"


class KeyringMissingDialog(QDialog):
    """`reason` is the keychain's message (what to install or unlock); `problem` is said under
    the passphrase (why the last one failed), and `passphrase` is what the user typed before,
    kept so that they can correct it rather than type it all again."""

    def __init__(
        self,
        reason: str,
        parent: QWidget | None,
        *,
        mode: Mode = Mode.CHOOSE,
        problem: str = "",
        passphrase: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("keyringDialog")
        self.setWindowTitle(
            self.tr("Enter your passphrase")
            if mode is Mode.ENTER
            else self.tr("No keyring available")
        )
        self.setMinimumWidth(520)
        self.choice = Choice.LATER
        self.mode = mode
        self.reason = QLabel(reason, self)
        self.reason.setWordWrap(True)
        self.alternative = QLabel(self._alternative(), self)
        self.alternative.setWordWrap(True)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        self.repeat = QLineEdit(self)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(self.tr("Repeat the passphrase"))
        self.problem = QLabel(self)
        self.problem.setObjectName("formFailure")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.use_button = QPushButton(
            self.tr("Open") if mode is Mode.ENTER else self.tr("Use this passphrase"), self
        )
        self.retry_button = QPushButton(self.tr("Try again"), self)

        layout = QVBoxLayout(self)
        if reason and mode is not Mode.ENTER:
            layout.addWidget(self.reason)
        else:
            self.reason.hide()
        layout.addWidget(self.alternative)
        layout.addLayout(self._form())
        layout.addWidget(self.problem)
        layout.addWidget(self._buttons())
        self.passphrase.textChanged.connect(self._check)
        self.repeat.textChanged.connect(self._check)
        if passphrase and mode is not Mode.KEYRING_ONLY:
            self.passphrase.setText(passphrase)
            self.passphrase.selectAll()  # typing replaces it; an arrow key keeps it to correct
        self._check()
        if problem:
            self._say(problem)

    def _alternative(self) -> str:
        if self.mode is Mode.ENTER:
            return self.tr("Enter the passphrase that protects your variables and secrets.")
        if self.mode is Mode.KEYRING_ONLY:
            return self.tr(
                "The variables and secrets on this computer were saved with the key kept in your "
                "system keyring, so only that keyring can open them: a passphrase cannot. Unlock "
                "the keyring (or install it and log in again), then choose Try again."
            )
        return self.tr(
            "FastStore Desktop encrypts your variables and secrets with a key kept in your "
            "system keyring. Unlock or install one and choose Try again, or protect them "
            "with a passphrase instead: you will type it each time the app starts, and "
            "nobody can recover it for you."
        )

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        if self.mode is Mode.KEYRING_ONLY:  # no passphrase can open this data: none is asked for
            self.passphrase.hide()
        else:
            form.addRow(self.tr("&Passphrase"), self.passphrase)
        if self.mode is Mode.CHOOSE:
            form.addRow(self.tr("&Repeat"), self.repeat)
        else:
            self.repeat.hide()
        return form

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(self)
        primary = self.retry_button if self.mode is Mode.KEYRING_ONLY else self.use_button
        primary.setObjectName("primary")
        primary.setDefault(True)
        if self.mode is Mode.KEYRING_ONLY:
            self.use_button.hide()
            buttons.addButton(self.retry_button, QDialogButtonBox.ButtonRole.AcceptRole)
        else:
            buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.AcceptRole)
        if self.mode is Mode.CHOOSE:
            buttons.addButton(self.retry_button, QDialogButtonBox.ButtonRole.ActionRole)
        elif self.mode is Mode.ENTER:
            self.retry_button.hide()
        later = buttons.addButton(self.tr("Not now"), QDialogButtonBox.ButtonRole.RejectRole)
        later.clicked.connect(self.reject)
        self.use_button.clicked.connect(lambda: self._finish(Choice.PASSPHRASE))
        self.retry_button.clicked.connect(lambda: self._finish(Choice.RETRY))
        return buttons

    def _check(self) -> None:
        text = self.passphrase.text()
        if self.mode is Mode.KEYRING_ONLY:
            return
        if self.mode is Mode.ENTER:
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
