"""Opening backends for connections: the embedded WebOps (data key from the OS keyring, or a
passphrase) and WebOps API servers (token from the OS keyring). Blocking work (keyring, scrypt)
runs in a worker thread, never on the GUI thread.

The embedded store (SQLite, cryptography) and the keyring are imported when a backend is first
opened, after the window has been painted: importing them first delayed the first frame.
"""

from __future__ import annotations

import asyncio
import getpass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from faststore_desktop import paths
from faststore_desktop.ui.dialogs.run import run_dialog
from faststore_desktop.ui.session import Connection
from faststore_desktop.webops.errors import AuthenticationError

if TYPE_CHECKING:
    from faststore_desktop.webops.protocol import WebOps


class Backends:
    """The session's opener and server access. `window` parents the dialogs it may show."""

    def __init__(self, data_dir: Path | None = None) -> None:
        self.data_dir = data_dir or paths.data_dir()
        self.window: QWidget | None = None
        #: How the backend opened last protects its secret (shown in the status bar).
        self.protection = ""

    async def open(self, connection: Connection) -> WebOps | None:
        if connection.is_local:
            return await self.open_local()
        return await self.open_server(connection.url)

    # -- the embedded WebOps ----------------------------------------------------------------------

    async def open_local(self) -> WebOps | None:
        from faststore_desktop.webops.local.sample import ensure_sample_store

        data_key = await self._data_key()
        if data_key is None:
            return None
        webops = await self._open_folder(data_key)
        if webops is None:
            return None
        try:
            await ensure_sample_store(webops, self.data_dir / "stores")
        except BaseException:
            await webops.close()
            raise
        return webops

    async def _open_folder(self, data_key: bytes) -> WebOps | None:
        """Open the data folder; while another process owns it, say so and offer to try again."""
        from faststore_desktop.ui.dialogs.run import confirm
        from faststore_desktop.webops.local.ownership import DataFolderInUseError
        from faststore_desktop.webops.local.service import LocalWebOps

        while True:
            try:
                return await LocalWebOps.open(self.data_dir, data_key, actor=getpass.getuser())
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

    async def _data_key(self) -> bytes | None:
        """From the keyring; when there is none, ask for a passphrase until one works."""
        from faststore_desktop.ui.dialogs.keyring_missing import Choice, KeyringMissingDialog
        from faststore_desktop.webops.keychain import KeychainUnavailableError
        from faststore_desktop.webops.local.crypto import WrongPassphraseError
        from faststore_desktop.webops.local.datakey import PassphraseRequiredError, resolve_data_key

        passphrase: str | None = None
        while True:
            try:
                key = await asyncio.to_thread(resolve_data_key, self.data_dir, passphrase)
                self.protection = (
                    _tr("Protected by a passphrase")
                    if passphrase is not None
                    else _tr("Key in %s") % await asyncio.to_thread(_keyring_name)
                )
                return key
            except KeychainUnavailableError as error:
                dialog = KeyringMissingDialog(error.message, self.window)
            except PassphraseRequiredError:
                dialog = KeyringMissingDialog("", self.window, existing=True)
            except WrongPassphraseError as error:
                dialog = KeyringMissingDialog("", self.window, existing=True, problem=error.message)
            await run_dialog(dialog)
            dialog.deleteLater()
            if dialog.choice is Choice.LATER:
                return None
            passphrase = dialog.passphrase.text() if dialog.choice is Choice.PASSPHRASE else None

    # -- WebOps API servers -----------------------------------------------------------------------

    async def open_server(self, url: str) -> WebOps:
        from faststore_desktop.webops import keychain
        from faststore_desktop.webops.http.client import HttpWebOps  # httpx loads when needed

        token = await asyncio.to_thread(keychain.get_token, url)
        if not token:
            raise AuthenticationError(
                "No token is saved for this server. Add it again in File > Connections."
            )
        self.protection = _tr("Token in %s") % await asyncio.to_thread(_keyring_name)
        return HttpWebOps(url, token)

    async def test(self, url: str, token: str) -> tuple[bool, str]:
        from faststore_desktop.webops.http.check import check_connection

        report = await check_connection(url, token)
        return report.ok, report.message

    async def save_token(self, url: str, token: str) -> None:
        from faststore_desktop.webops import keychain

        await asyncio.to_thread(keychain.set_token, url, token)

    async def forget_token(self, url: str) -> None:
        from faststore_desktop.webops import keychain

        await asyncio.to_thread(keychain.delete_token, url)


def _keyring_name() -> str:
    """The keyring in use, named as the keychain module names it (blocking: a thread)."""
    from faststore_desktop.webops import keychain

    return keychain.backend_name()


def _tr(text: str) -> str:
    return QCoreApplication.translate("Backends", text)
