"""Typed failures (a locked keyring, a revoked token, a server that refuses) are said where the
user looks, with their own words, instead of reaching the unexpected-error box: inline in the
dialog that failed, keeping what was typed, or through the session's failure signal."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.errors
import pytest
import pytest_asyncio
from async_support import failing_on_background_errors, wait_until
from keyring_fakes import MemoryKeyring
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from team_server import TeamServer, team_server
from variables_support import Harness, install_english, variables_view, visible_dialog

from faststore_desktop.backends import Backends
from faststore_desktop.core.entries import EntryType
from faststore_desktop.settings import ServerConnection, Settings
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.dialogs.bulk_edit import BulkEditDialog
from faststore_desktop.ui.dialogs.connections import ConnectionsDialog
from faststore_desktop.ui.dialogs.history import HistoryDialog
from faststore_desktop.ui.session import Connection, Opened, Session
from faststore_desktop.webops.errors import PermissionDeniedError, UnavailableError
from faststore_desktop.webops.http.client import HttpWebOps
from faststore_desktop.webops.keychain import TOKEN_SERVICE
from faststore_desktop.webops.protocol import WebOps


class LockedKeyring(MemoryKeyring):
    """A keyring that holds items but is locked: nothing can be written or deleted."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("locked")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("locked")


@pytest.fixture
def locked_keyring(memory_keyring: MemoryKeyring) -> Iterator[LockedKeyring]:
    locked = LockedKeyring()
    keyring.set_keyring(locked)
    yield locked
    keyring.set_keyring(memory_keyring)


def connections_dialog(tmp_path: Path) -> tuple[ConnectionsDialog, Session, Settings]:
    settings = Settings(tmp_path / "settings.ini")
    backends = Backends(tmp_path / "local")
    session = Session(StoreContext(settings), settings, backends.open, backends)
    return ConnectionsDialog(session, settings, None), session, settings


@pytest.mark.asyncio
async def test_saving_a_server_with_a_locked_keyring_says_so_inline_and_keeps_the_input(
    tmp_path: Path, locked_keyring: LockedKeyring
) -> None:
    install_english()
    typed = ("Team server", "https://webops.example.com", "fsd_typed_token")
    with failing_on_background_errors():
        dialog, session, settings = connections_dialog(tmp_path)
        edits = (dialog.name_edit, dialog.url_edit, dialog.token_edit)
        for edit, text in zip(edits, typed, strict=True):
            edit.setText(text)
        QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: "locked" in dialog.result_label.text(), what="the inline failure")
        dialog.deleteLater()
        await session.close()

    assert "Unlock it" in dialog.result_label.text()
    assert dialog.result_label.property("kind") == "error"
    assert "fsd_typed_token" not in dialog.result_label.text()
    assert (dialog.name_edit.text(), dialog.url_edit.text(), dialog.token_edit.text()) == typed
    assert settings.servers() == []


@pytest.mark.asyncio
async def test_removing_a_server_with_a_locked_keyring_says_so_and_keeps_it_listed(
    tmp_path: Path, locked_keyring: LockedKeyring
) -> None:
    install_english()
    url = "https://webops.example.com"
    locked_keyring.items[(TOKEN_SERVICE, url)] = "fsd_kept_token"
    Settings(tmp_path / "settings.ini").set_servers([ServerConnection("Team server", url)])
    with failing_on_background_errors():
        dialog, session, settings = connections_dialog(tmp_path)
        dialog.list.setCurrentRow(1)
        QTest.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: "locked" in dialog.result_label.text(), what="the inline failure")
        dialog.deleteLater()
        await session.close()

    assert dialog.result_label.property("kind") == "error"
    assert [(s.name, s.url) for s in settings.servers()] == [("Team server", url)]
    assert dialog.list.count() == 2
    assert locked_keyring.items[(TOKEN_SERVICE, url)] == "fsd_kept_token"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[TeamServer]:
    with team_server(tmp_path) as server:
        yield server


@pytest.mark.asyncio
async def test_a_token_revoked_while_open_is_reported_when_the_stores_are_read_again(
    tmp_path: Path, served: TeamServer
) -> None:
    install_english()
    process, token = served.process, served.token
    settings = Settings(tmp_path / "settings.ini")
    settings.set_servers([ServerConnection("Team server", process.base_url)])

    async def opener(_connection: Connection) -> Opened:
        return Opened(HttpWebOps(process.base_url, token))

    session = Session(StoreContext(settings), settings, opener, Backends(tmp_path / "local"))
    failures: list[tuple[str, str]] = []
    session.failed.connect(lambda message, details: failures.append((message, details)))
    with failing_on_background_errors():
        connection = session.connection_by_id(process.base_url)
        assert connection is not None and await session.open(connection)
        served.revoke()
        await session.refresh_stores()
        await session.close()

    assert len(failures) == 1
    message, details = failures[0]
    assert message == "Could not read the stores of Team server."
    assert "revoked" in details.lower()
    assert token not in details


class Refusing:
    """Delegates to a real WebOps; the calls named in `refused` fail as the server says."""

    def __init__(self, inner: WebOps) -> None:
        self._inner = inner
        self.refused: dict[str, Exception] = {}

    def __getattr__(self, name: str) -> Any:
        if name in self.refused:
            error = self.refused[name]

            async def refuse(*_args: Any, **_kwargs: Any) -> Any:
                raise error

            return refuse
        return getattr(self._inner, name)


@pytest_asyncio.fixture
async def refusing(tmp_path: Path) -> AsyncIterator[tuple[Harness, Refusing]]:
    holder: list[Refusing] = []

    def wrap(inner: WebOps) -> WebOps:
        holder.append(Refusing(inner))
        return holder[0]  # type: ignore[return-value]

    with failing_on_background_errors():
        async for harness in variables_view(tmp_path, wrap=wrap):
            yield harness, holder[0]


@pytest.mark.asyncio
async def test_history_that_cannot_be_read_says_why_in_the_dialog(
    refusing: tuple[Harness, Refusing],
) -> None:
    ui, wrapper = refusing
    await ui.webops.create_entry(ui.store.id, "VTEX_ACCOUNT", EntryType.TEXT, "first")
    ui.view.reload()
    await wait_until(lambda: ui.view.model.row_of("VTEX_ACCOUNT") is not None)
    entry = ui.view.model.entry("VTEX_ACCOUNT")
    assert entry is not None
    wrapper.refused["entry_history"] = PermissionDeniedError(
        "This token may not read the history of entries."
    )
    task = asyncio.ensure_future(ui.view.history(entry))
    await wait_until(lambda: visible_dialog(HistoryDialog) is not None)
    dialog = visible_dialog(HistoryDialog)
    assert isinstance(dialog, HistoryDialog)
    await wait_until(lambda: dialog.status.property("kind") == "error", what="the failure")
    assert dialog.status.text() == (
        "Could not load the versions: This token may not read the history of entries."
    )
    assert dialog.model.rowCount() == 0 and not dialog.restore_button.isEnabled()
    dialog.reject()
    await task


@pytest.mark.asyncio
async def test_bulk_edit_says_both_the_conflict_and_why_the_list_could_not_be_read_again(
    refusing: tuple[Harness, Refusing],
) -> None:
    ui, wrapper = refusing
    task = asyncio.ensure_future(ui.view.bulk_edit())
    await wait_until(lambda: visible_dialog(BulkEditDialog) is not None, what="bulk dialog")
    dialog = visible_dialog(BulkEditDialog)
    assert isinstance(dialog, BulkEditDialog)
    dialog.input.setPlainText("VTEX_ACCOUNT=storeframework\n")
    dialog.restage()
    # Another user adds the key after it was staged as new; then the server stops answering.
    bruno = ui.webops.with_actor("bruno")
    await bruno.create_entry(ui.store.id, "VTEX_ACCOUNT", EntryType.TEXT, "theirs")
    wrapper.refused["list_entries"] = UnavailableError("The WebOps server cannot be reached.")
    dialog.apply_button.click()
    await wait_until(lambda: "could not be read again" in dialog.failure.text(), what="failure")

    first, second = dialog.failure.text().split("\n")
    assert "VTEX_ACCOUNT" in first  # the conflict, in its own words
    assert second == "The list could not be read again: The WebOps server cannot be reached."
    assert dialog.input.toPlainText() == "VTEX_ACCOUNT=storeframework\n"
    assert dialog.isVisible()
    dialog.reject()
    await task
