"""Opening backends for connections: the embedded WebOps (data key from the OS keyring, or a
passphrase) and WebOps API servers (token from the OS keyring). Blocking work (keyring, scrypt)
runs in a worker thread, never on the GUI thread.

The embedded store (SQLite, cryptography) and the keyring are imported when a backend is first
opened, after the window has been painted: importing them first delayed the first frame.
"""

from __future__ import annotations

import asyncio
import getpass
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from faststore_desktop import paths
from faststore_desktop.ui.dialogs.run import run_dialog
from faststore_desktop.ui.session import Connection, Opened
from faststore_desktop.webops.errors import AuthenticationError

if TYPE_CHECKING:
    from faststore_desktop.webops.http.check import ConnectionReport
    from faststore_desktop.webops.protocol import WebOps


@dataclass(frozen=True, slots=True)
class UnlockedKey:
    """The data key, with how it is kept: what the status bar says, and its warning when the
    keyring is not the system's own store."""

    key: bytes = field(repr=False)
    protection: str
    warning: str = ""


class Backends:
    """The session's opener and server access. `window` parents the dialogs it may show."""

    def __init__(self, data_dir: Path | None = None) -> None:
        self.data_dir = data_dir or paths.data_dir()
        self.window: QWidget | None = None

    async def open(self, connection: Connection) -> Opened | None:
        if connection.is_local:
            return await self.open_local()
        return await self.open_server(connection.url)

    # -- the embedded WebOps ----------------------------------------------------------------------

    async def open_local(self) -> Opened | None:
        from faststore_desktop.webops.local.sample import ensure_sample_store

        unlocked = await self._data_key()
        if unlocked is None:
            return None
        webops = await self._open_folder(unlocked.key)
        if webops is None:
            return None
        try:
            await ensure_sample_store(webops, self.data_dir / "stores")
        except BaseException:
            await webops.close()
            raise
        return Opened(webops, unlocked.protection, unlocked.warning)

    async def _open_folder(self, data_key: bytes) -> WebOps | None:
        """Open the data folder; while another process owns it, say so and offer to try again."""
        from faststore_desktop.ui.dialogs.run import confirm
        from faststore_desktop.webops.local.ownership import DataFolderInUseError
        from faststore_desktop.webops.local.service import LocalWebOps

        # Without USER/LOGNAME set, the name comes from the user database (LDAP, NIS...).
        actor = await asyncio.to_thread(getpass.getuser)
        while True:
            try:
                return await LocalWebOps.open(self.data_dir, data_key, actor=actor)
            except DataFolderInUseError as error:
                if self.window is None:  # nowhere to ask: the session reports the error
                    raise
                retry = await confirm(
                    self.window,
                    _tr("FastStore Desktop"),
                    _tr("FastStore Desktop is already open with this data folder."),
                    details=error.message,
                    accept=_tr("Try again"),
                )
                if not retry:
                    return None

    async def _data_key(self) -> UnlockedKey | None:
        """From the keyring; when there is none, ask for a passphrase until one works.

        A passphrase is offered only when it can open the data: a folder whose data was saved
        with the keyring's key asks for the keyring alone. A wrong passphrase is asked again
        with what was typed kept, and `resolve_data_key` writes nothing until it is right. A
        passphrase that passes `passphrase.json` but not the data's key check (a file of other
        data) is said inline too, once the keyring's key has been tried (`open_data_key`).
        """
        from faststore_desktop.ui.dialogs.keyring_missing import Choice, KeyringMissingDialog, Mode
        from faststore_desktop.webops.keychain import KeychainUnavailableError
        from faststore_desktop.webops.local.crypto import (
            DamagedPassphraseFileError,
            DataKeyMismatchError,
            WrongPassphraseError,
        )
        from faststore_desktop.webops.local.datakey import (
            KeyringKeyRequiredError,
            PassphraseRequiredError,
            open_data_key,
        )

        passphrase: str | None = None
        while True:
            try:
                key, from_keyring = await asyncio.to_thread(
                    open_data_key, self.data_dir, passphrase
                )
                if not from_keyring:
                    return UnlockedKey(key, _tr("Protected by a passphrase"))
                name, secure = await asyncio.to_thread(_keyring_state)
                warning = "" if secure else _data_key_warning(name)
                return UnlockedKey(key, _tr("Key in %s") % name, warning)
            except KeyringKeyRequiredError as error:
                dialog = KeyringMissingDialog(
                    error.keyring_problem, self.window, mode=Mode.KEYRING_ONLY
                )
            except KeychainUnavailableError as error:
                dialog = KeyringMissingDialog(error.message, self.window)
            except PassphraseRequiredError:
                dialog = KeyringMissingDialog("", self.window, mode=Mode.ENTER)
            except DataKeyMismatchError as error:
                dialog = KeyringMissingDialog(
                    "",
                    self.window,
                    mode=Mode.ENTER,
                    problem=error.message,  # neither this passphrase nor the keyring key fits
                    passphrase=passphrase or "",
                )
            except WrongPassphraseError as error:
                problem = (
                    error.message  # names the file to restore
                    if isinstance(error, DamagedPassphraseFileError)
                    else _tr(
                        "That passphrase doesn't open the variables and secrets on this "
                        "computer. Check it and try again."
                    )
                )
                dialog = KeyringMissingDialog(
                    "", self.window, mode=Mode.ENTER, problem=problem, passphrase=passphrase or ""
                )
            await run_dialog(dialog)
            dialog.deleteLater()
            if dialog.choice is Choice.LATER:
                return None
            passphrase = dialog.passphrase.text() if dialog.choice is Choice.PASSPHRASE else None

    # -- WebOps API servers -----------------------------------------------------------------------

    async def open_server(self, url: str) -> Opened:
        from faststore_desktop.webops import keychain
        from faststore_desktop.webops.http.client import HttpWebOps  # httpx loads when needed

        token = await asyncio.to_thread(keychain.get_token, url)
        if not token:
            raise AuthenticationError(
                "No token is saved for this server. Add it again in File > Connections."
            )
        name, secure = await asyncio.to_thread(_keyring_state)
        warning = "" if secure else _token_warning(name)
        return Opened(HttpWebOps(url, token), _tr("Token in %s") % name, warning)

    async def test(self, url: str, token: str) -> ConnectionReport:
        from faststore_desktop.webops.http.check import check_connection

        return await check_connection(url, token)

    async def save_token(self, url: str, token: str) -> None:
        from faststore_desktop.webops import keychain

        await asyncio.to_thread(keychain.set_token, url, token)

    async def forget_token(self, url: str) -> None:
        from faststore_desktop.webops import keychain

        await asyncio.to_thread(keychain.delete_token, url)


def _keyring_state() -> tuple[str, bool]:
    """The keyring in use, named as the keychain module names it, and whether it is the
    operating system's own secret store (blocking: a thread)."""
    from faststore_desktop.webops import keychain

    return keychain.backend_name(), keychain.is_secure_backend()


def _data_key_warning(keyring_name: str) -> str:
    return " ".join(
        (
            _tr(
                "The data key that encrypts this computer's variables and secrets is kept in "
                "%s, which is not your system's protected keyring: depending on that keyring, "
                "anyone who can read your files may be able to read the key, and with it every "
                "saved secret."
            )
            % keyring_name,
            _install_advice(),
            _tr(
                'Before switching, copy the data key (service "FastStore Desktop", account '
                '"data-key") into the new keyring: the data saved so far opens only with it.'
            ),
        )
    )


def _token_warning(keyring_name: str) -> str:
    return " ".join(
        (
            _tr(
                "This server's token is kept in %s, which is not your system's protected "
                "keyring: depending on that keyring, anyone who can read your files may be able "
                "to read the token and act on the server as you."
            )
            % keyring_name,
            _install_advice(),
            _tr("Then add the server again in File > Connections."),
        )
    )


def _install_advice() -> str:
    if sys.platform == "darwin":
        system = _tr("the macOS Keychain")
    elif sys.platform == "win32":
        system = _tr("the Windows Credential Manager")
    else:
        system = _tr("a Secret Service keyring (install gnome-keyring, or KWallet)")
    return (
        _tr(
            "To use %s instead, install it if needed and remove the setting that chose this "
            "keyring (PYTHON_KEYRING_BACKEND, or keyringrc.cfg), then restart FastStore Desktop."
        )
        % system
    )


def _tr(text: str) -> str:
    return QCoreApplication.translate("Backends", text)
