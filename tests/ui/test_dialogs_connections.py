"""Connections: a real WebOps API server on loopback, its token kept in the keyring only."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from keyring_fakes import MemoryKeyring
from newer_server import newer_server
from PySide6.QtWidgets import QLineEdit
from team_server import team_server
from variables_support import install_english

from faststore_desktop.backends import Backends
from faststore_desktop.settings import LOCAL_CONNECTION_ID, Settings
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.dialogs.connections import ConnectionsDialog
from faststore_desktop.ui.session import Session
from faststore_desktop.webops.addresses import InsecureAddressError
from faststore_desktop.webops.http.check import ConnectionReport, check_connection
from faststore_desktop.webops.http.client import HttpWebOps
from faststore_desktop.webops.keychain import TOKEN_SERVICE
from faststore_desktop.webops.models import StoreConfig
from faststore_desktop.webops.server.tokens import Role, TokenStore


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    with team_server(tmp_path) as served:
        yield served.process.base_url, served.token


@asynccontextmanager
async def opened_dialog(
    tmp_path: Path,
) -> AsyncIterator[tuple[ConnectionsDialog, Session, Settings, StoreContext]]:
    """The dialog over a session of the app's own backends, on temporary folders."""
    settings = Settings(tmp_path / "settings.ini")
    context = StoreContext(settings)
    backends = Backends(tmp_path / "local")
    session = Session(context, settings, backends.open, backends)
    dialog = ConnectionsDialog(session, settings, None)
    try:
        yield dialog, session, settings, context
    finally:
        dialog.deleteLater()
        await session.close()
        await asyncio.sleep(0.05)


@pytest.mark.asyncio
async def test_add_test_open_and_remove_a_server(
    tmp_path: Path, server: tuple[str, str], memory_keyring: MemoryKeyring
) -> None:
    install_english()
    url, token = server
    admin = HttpWebOps(url, token)
    try:
        store = await admin.create_store(StoreConfig(name="Team store"))
    finally:
        await admin.close()
    async with opened_dialog(tmp_path) as (dialog, session, settings, context):
        dialog.name_edit.setText("Team server")
        dialog.url_edit.setText(url + "/")
        dialog.token_edit.setText("not-the-token")
        assert dialog.test_button.isEnabled()
        assert not await dialog.test()
        assert "token" in dialog.result_label.text().lower()
        assert "not-the-token" not in dialog.result_label.text()

        dialog.token_edit.setText(token)
        assert await dialog.test()
        assert dialog.result_label.property("kind") == "success"
        await dialog.save()
        assert memory_keyring.items[(TOKEN_SERVICE, url)] == token
        assert [(s.name, s.url) for s in settings.servers()] == [("Team server", url)]
        settings.sync()
        assert token not in settings.file.read_text()
        assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == [
            "This computer",
            f"Team server — {url}",
        ]

        connection = session.connection_by_id(url)
        assert connection is not None
        assert await session.open(connection)
        assert context.store is not None and context.store.id == store.id
        assert context.connection_name == "Team server"

        settings.set_store_folder(url, store.id, tmp_path / "team checkout")
        settings.set_store_folder(LOCAL_CONNECTION_ID, "sample", tmp_path / "sample")
        dialog.list.setCurrentRow(1)
        assert dialog.remove_button.isEnabled()
        await dialog.remove_selected()
        assert settings.servers() == []
        assert (TOKEN_SERVICE, url) not in memory_keyring.items
        # Its code folders are forgotten with it; another connection's stay.
        assert settings.store_folder(url, store.id) is None
        assert settings.store_folder(LOCAL_CONNECTION_ID, "sample") == tmp_path / "sample"


@pytest.mark.asyncio
async def test_a_viewer_token_connects_and_the_dialog_says_it_can_only_view(
    tmp_path: Path, server: tuple[str, str], memory_keyring: MemoryKeyring
) -> None:
    install_english()
    url, _admin_token = server
    tokens = TokenStore.in_dir(tmp_path / "server")  # the running server reads it per request
    try:
        viewer_token = tokens.create("vera", Role.VIEWER)
    finally:
        tokens.close()
    async with opened_dialog(tmp_path) as (dialog, _session, _settings, _context):
        for edit, text in zip(edits(dialog), ("Team server", url, viewer_token), strict=True):
            edit.setText(text)

        assert await dialog.test()  # it connects: viewing works
        shown = dialog.result_label.text()
        assert "as vera (viewer)" in shown
        assert (
            "this token can only view; ask an admin for an editor token to change variables"
            in shown
        )
        assert viewer_token not in shown
        assert dialog.result_label.property("kind") == "warning"  # not the green of success


class NewerServer(Backends):
    """The app's Backends, whose connection test talks to a server newer than the app: it
    answers whoami with a role this version does not know."""

    async def test(self, url: str, token: str) -> ConnectionReport:
        async with httpx.AsyncClient(transport=newer_server()) as client:
            return await check_connection(url, token, client=client)


@pytest.mark.asyncio
async def test_a_role_the_app_does_not_know_is_shown_as_a_warning(tmp_path: Path) -> None:
    install_english()
    settings = Settings(tmp_path / "settings.ini")
    backends = NewerServer(tmp_path / "local")
    session = Session(StoreContext(settings), settings, backends.open, backends)
    dialog = ConnectionsDialog(session, settings, None)
    try:
        for edit, text in zip(
            edits(dialog), ("Newer server", "http://127.0.0.1:8787", "fsd_t"), strict=True
        ):
            edit.setText(text)

        assert await dialog.test()  # it connects
        assert "does not know the role 'auditor'" in dialog.result_label.text()
        assert dialog.result_label.property("kind") == "warning"  # not the green of success
    finally:
        dialog.deleteLater()
        await session.close()


@pytest.mark.asyncio
async def test_http_to_another_computer_is_refused_inline_and_what_was_typed_stays(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    install_english()
    typed = ("Team server", "http://webops.example.com:8787", "fsd_typed_token")
    async with opened_dialog(tmp_path) as (dialog, _session, settings, _context):
        for edit, text in zip(edits(dialog), typed, strict=True):
            edit.setText(text)

        assert "use https://" in dialog.result_label.text()
        assert dialog.result_label.property("kind") == "error"
        assert not dialog.test_button.isEnabled() and not dialog.save_button.isEnabled()
        await dialog.save()  # even if asked: nothing is kept, nothing is cleared
        assert settings.servers() == [] and memory_keyring.items == {}
        assert tuple(edit.text() for edit in edits(dialog)) == typed
        assert "use https://" in dialog.result_label.text()

        dialog.url_edit.setText("https://webops.example.com:8787")
        assert dialog.result_label.text() == ""
        assert dialog.test_button.isEnabled() and dialog.save_button.isEnabled()
        dialog.url_edit.setText("http://127.0.0.1:8787")  # this computer: allowed
        assert dialog.result_label.text() == "" and dialog.test_button.isEnabled()


@pytest.mark.asyncio
async def test_opening_a_saved_http_server_on_another_computer_says_why_it_is_refused(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    backends = Backends(tmp_path / "local")
    await backends.save_token("http://webops.example.com", "fsd_saved_token")

    with pytest.raises(InsecureAddressError, match="use https://"):
        await backends.open_server("http://webops.example.com")


def edits(dialog: ConnectionsDialog) -> tuple[QLineEdit, QLineEdit, QLineEdit]:
    return dialog.name_edit, dialog.url_edit, dialog.token_edit
