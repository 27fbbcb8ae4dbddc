"""Failures as the user meets them: transient ones retried quietly, persistent ones reported
with the dashboard's message while the input stays, and conflicts resolved by reload/overwrite."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from async_support import wait_until
from busy_server import BusyServer, busy_server
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QGroupBox, QLabel, QMessageBox, QPushButton, QWidget
from variables_support import Harness, variables_view, visible_dialog

from faststore_desktop.core.entries import EntryType
from faststore_desktop.core.review import mask
from faststore_desktop.ui.dialogs.conflict import ConflictDialog
from faststore_desktop.ui.dialogs.entry_edit import EntryEditDialog
from faststore_desktop.webops.errors import UnavailableError
from faststore_desktop.webops.http.client import HttpWebOps
from faststore_desktop.webops.http.retry import RetryPolicy
from faststore_desktop.webops.protocol import WebOps


class FlakyWebOps:
    """Delegates to a real WebOps; `create_entry` fails transiently `failures` times first."""

    def __init__(self, inner: WebOps, failures: int) -> None:
        self._inner = inner
        self.failures = failures
        self.create_calls = 0
        self.idempotency_keys: list[str | None] = []

    async def create_entry(self, *args: Any, **kwargs: Any) -> Any:
        self.create_calls += 1
        self.idempotency_keys.append(kwargs.get("idempotency_key"))
        if self.failures > 0:
            self.failures -= 1
            raise UnavailableError("The service is busy; try again in a moment.")
        return await self._inner.create_entry(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


async def open_flaky(tmp_path: Path, failures: int) -> AsyncIterator[tuple[Harness, FlakyWebOps]]:
    holder: list[FlakyWebOps] = []

    def wrap(inner: WebOps) -> WebOps:
        holder.append(FlakyWebOps(inner, failures))
        return holder[0]  # type: ignore[return-value]

    async for harness in variables_view(tmp_path, wrap=wrap):
        yield harness, holder[0]


@pytest_asyncio.fixture
async def recovering(tmp_path: Path) -> AsyncIterator[tuple[Harness, FlakyWebOps]]:
    async for item in open_flaky(tmp_path, failures=2):
        yield item


@pytest_asyncio.fixture
async def failing(tmp_path: Path) -> AsyncIterator[tuple[Harness, FlakyWebOps]]:
    async for item in open_flaky(tmp_path, failures=1000):
        yield item


@pytest_asyncio.fixture
async def ui(tmp_path: Path) -> AsyncIterator[Harness]:
    async for harness in variables_view(tmp_path):
        yield harness


def fill(ui: Harness, key: str, value: str) -> None:
    QTest.keyClicks(ui.view.form.key_edit, key)
    ui.view.form.value_edit.setPlainText(value)
    ui.view.form.relint()


@pytest.mark.asyncio
async def test_a_transient_failure_is_retried_quietly(
    recovering: tuple[Harness, FlakyWebOps],
) -> None:
    ui, flaky = recovering
    fill(ui, "FS_DISCOVERY_APP_KEY", "vtexappkey-store-ABCDEF")
    QTest.mouseClick(ui.view.form.submit_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: ui.view.model.row_of("FS_DISCOVERY_APP_KEY") is not None)
    assert flaky.create_calls == 3
    assert len(set(flaky.idempotency_keys)) == 1  # the same action, never applied twice
    assert ui.messages == ["New secret added successfully"]
    assert ui.view.form.failure.isHidden()


@pytest.mark.asyncio
async def test_a_persistent_failure_says_so_and_keeps_the_input(
    failing: tuple[Harness, FlakyWebOps],
) -> None:
    ui, flaky = failing
    fill(ui, "FS_DISCOVERY_APP_KEY", "vtexappkey-store-ABCDEF")
    QTest.mouseClick(ui.view.form.submit_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: not ui.view.form.failure.isHidden(), what="the failure message")
    form = ui.view.form
    assert form.failure.text() == "Failed to create secret. Please, try again."
    assert form.details.text() == "The service is busy; try again in a moment."
    assert form.key() == "FS_DISCOVERY_APP_KEY"
    assert form.value() == "vtexappkey-store-ABCDEF"
    assert form.submit_button.isEnabled()
    assert flaky.create_calls == 4
    assert "New secret added successfully" not in ui.messages
    assert "vtexappkey" not in form.failure.text() + form.details.text()


def card_texts(dialog: QWidget, name: str) -> list[str]:
    card = dialog.findChild(QGroupBox, name)
    assert card is not None, name
    return [card.title()] + [label.text() for label in card.findChildren(QLabel)]


def all_texts(dialog: QWidget) -> str:
    return " ".join([dialog.windowTitle()] + [w.text() for w in dialog.findChildren(QLabel)])


@pytest.mark.asyncio
async def test_a_conflict_shows_both_versions_keeps_the_typed_value_and_overwrites(
    ui: Harness,
) -> None:
    await ui.webops.create_entry(ui.store.id, "VTEX_ACCOUNT", EntryType.TEXT, "mine-before")
    ui.view.reload()
    await wait_until(lambda: ui.view.model.entry("VTEX_ACCOUNT") is not None)
    read = ui.view.model.entry("VTEX_ACCOUNT")
    assert read is not None and read.version == 1
    task = asyncio.ensure_future(ui.view.edit(read))
    await wait_until(lambda: visible_dialog(EntryEditDialog) is not None)
    dialog = visible_dialog(EntryEditDialog)
    assert isinstance(dialog, EntryEditDialog)
    dialog.form.value_edit.setPlainText("mine-after")
    dialog.form.relint()
    # Another user, through their own client, saves a new version between the read and Update.
    bruno = ui.webops.with_actor("bruno")
    await bruno.update_entry(ui.store.id, "VTEX_ACCOUNT", "theirs-now", expected_version=1)
    QTest.mouseClick(dialog.form.submit_button, Qt.MouseButton.LeftButton)

    await wait_until(lambda: visible_dialog(ConflictDialog) is not None, what="conflict dialog")
    conflict = visible_dialog(ConflictDialog)
    assert isinstance(conflict, ConflictDialog)
    assert conflict.windowTitle() == "VTEX_ACCOUNT was changed by someone else"
    assert conflict.parent() is dialog  # over the edit, which keeps what the user typed
    assert dialog.isVisible() and dialog.form.value() == "mine-after"
    mine = card_texts(conflict, "yourVersion")
    assert mine[0] == "The version you edited"
    assert {"1", "Text", "ana", mask("mine-before")} <= set(mine)
    theirs = card_texts(conflict, "storedVersion")
    assert theirs[0] == "The version stored now"
    assert {"2", "Text", "bruno", mask("theirs-now")} <= set(theirs)
    shown = all_texts(conflict)
    assert "changed since you opened it" in shown
    for value in ("mine-before", "theirs-now", "mine-after"):
        assert value not in shown  # masked: a length and a fingerprint, never the value

    # Cancel: back to the edit, the typed value still there and nothing written.
    next(b for b in conflict.findChildren(QPushButton) if b.text() == "Cancel").click()
    await wait_until(lambda: visible_dialog(ConflictDialog) is None, what="the conflict to close")
    assert dialog.isVisible() and dialog.form.value() == "mine-after"
    stored = await ui.webops.get_entry(ui.store.id, "VTEX_ACCOUNT")
    assert (stored.value, stored.version, stored.author) == ("theirs-now", 2, "bruno")

    # Update again: the conflict again; Overwrite saves the typed value over bruno's.
    QTest.mouseClick(dialog.form.submit_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: visible_dialog(ConflictDialog) is not None, what="conflict again")
    conflict = visible_dialog(ConflictDialog)
    assert isinstance(conflict, ConflictDialog)
    conflict.overwrite_button.click()
    await task  # the edit closed once the value was saved
    assert visible_dialog(EntryEditDialog) is None
    assert "Secret updated successfully" in ui.messages
    stored = await ui.webops.get_entry(ui.store.id, "VTEX_ACCOUNT")
    assert (stored.value, stored.version, stored.author) == ("mine-after", 3, "ana")
    await wait_until(lambda: (ui.view.model.entry("VTEX_ACCOUNT") or read).version == 3)


async def add_while_someone_else_adds(ui: Harness, bruno_value: str) -> ConflictDialog:
    """The user types VTEX_ACCOUNT into Add; another user creates it before Add is pressed,
    while the list still shows no such key."""
    fill(ui, "VTEX_ACCOUNT", "storeframework")
    assert ui.view.form.submit_button.isEnabled()
    bruno = ui.webops.with_actor("bruno")
    await bruno.create_entry(ui.store.id, "VTEX_ACCOUNT", EntryType.TEXT, bruno_value)
    assert ui.view.model.entry("VTEX_ACCOUNT") is None  # not listed yet
    QTest.mouseClick(ui.view.form.submit_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: visible_dialog(ConflictDialog) is not None, what="conflict dialog")
    conflict = visible_dialog(ConflictDialog)
    assert isinstance(conflict, ConflictDialog)
    return conflict


@pytest.mark.asyncio
async def test_adding_a_key_someone_just_added_explains_keeps_the_input_and_reloads(
    ui: Harness,
) -> None:
    conflict = await add_while_someone_else_adds(ui, "bruno-account")
    form = ui.view.form
    assert form.failure.isVisible()
    assert form.failure.text() == "Someone added VTEX_ACCOUNT since the list was loaded."
    assert (form.key(), form.entry_type(), form.value()) == (
        "VTEX_ACCOUNT",
        EntryType.TEXT,
        "storeframework",
    )
    assert conflict.windowTitle() == "VTEX_ACCOUNT was added by someone else"
    shown = all_texts(conflict)
    assert "Someone added VTEX_ACCOUNT since the list was loaded" in shown
    mine = card_texts(conflict, "yourVersion")
    assert mine[0] == "What you typed" and {"Text", mask("storeframework")} <= set(mine)
    theirs = card_texts(conflict, "storedVersion")
    assert {"1", "Text", "bruno", mask("bruno-account")} <= set(theirs)
    assert "storeframework" not in shown and "bruno-account" not in shown
    assert conflict.overwrite_button.text() == "Update with yours"
    assert "Failed to create secret. Please, try again." not in ui.messages
    # The list is read again while the user decides.
    await wait_until(lambda: ui.view.model.entry("VTEX_ACCOUNT") is not None, what="the reload")

    conflict.reload_button.click()
    await wait_until(lambda: visible_dialog(ConflictDialog) is None, what="the dialog to close")
    listed = ui.view.model.entry("VTEX_ACCOUNT")
    assert listed is not None and listed.author == "bruno"
    assert form.value() == "storeframework" and form.key() == "VTEX_ACCOUNT"
    assert form.failure.isVisible()
    stored = await ui.webops.get_entry(ui.store.id, "VTEX_ACCOUNT")
    assert (stored.value, stored.version) == ("bruno-account", 1)


@pytest.mark.asyncio
async def test_adding_a_key_someone_just_added_may_update_theirs_with_the_typed_value(
    ui: Harness,
) -> None:
    conflict = await add_while_someone_else_adds(ui, "bruno-account")
    conflict.overwrite_button.click()
    await wait_until(lambda: "Secret updated successfully" in ui.messages, what="the update")
    stored = await ui.webops.get_entry(ui.store.id, "VTEX_ACCOUNT")
    assert (stored.value, stored.version, stored.author) == ("storeframework", 2, "ana")
    await wait_until(lambda: ui.view.model.row_of("VTEX_ACCOUNT") is not None)
    await wait_until(lambda: (ui.view.model.entry("VTEX_ACCOUNT") or stored).version == 2)
    form = ui.view.form
    assert form.key() == "" and form.value() == "" and not form.failure.isVisible()


@pytest.mark.asyncio
async def test_a_conflict_reload_keeps_theirs(ui: Harness) -> None:
    await ui.webops.create_entry(ui.store.id, "VTEX_ACCOUNT", EntryType.TEXT, "first")
    ui.view.reload()
    await wait_until(lambda: ui.view.model.entry("VTEX_ACCOUNT") is not None)
    read = ui.view.model.entry("VTEX_ACCOUNT")
    assert read is not None
    await ui.webops.update_entry(ui.store.id, "VTEX_ACCOUNT", "theirs", expected_version=1)
    task = asyncio.ensure_future(ui.view.delete(read))
    await wait_until(lambda: visible_dialog(QMessageBox) is not None)
    box = visible_dialog(QMessageBox)
    assert isinstance(box, QMessageBox)
    next(b for b in box.buttons() if b.text() == "Delete secret").click()
    await wait_until(lambda: visible_dialog(ConflictDialog) is not None)
    conflict = visible_dialog(ConflictDialog)
    assert isinstance(conflict, ConflictDialog)
    conflict.reload_button.click()
    await task
    await wait_until(lambda: (ui.view.model.entry("VTEX_ACCOUNT") or read).version == 2)
    assert (await ui.webops.get_entry(ui.store.id, "VTEX_ACCOUNT")).value == "theirs"


class UnreachableWebOps:
    """Delegates to a real WebOps, except that listing entries never works."""

    def __init__(self, inner: WebOps) -> None:
        self._inner = inner

    async def list_entries(self, store_id: str) -> Any:
        raise UnavailableError("The WebOps server cannot be reached.")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@pytest_asyncio.fixture
async def unreachable(tmp_path: Path) -> AsyncIterator[Harness]:
    async for harness in variables_view(tmp_path, wrap=UnreachableWebOps):
        yield harness


@pytest.mark.asyncio
async def test_keys_that_cannot_be_loaded_are_explained(unreachable: Harness) -> None:
    assert unreachable.messages == ["Could not load the keys: The WebOps server cannot be reached."]
    assert unreachable.view.model.rowCount() == 0


class SavingOverHttp:
    """Delegates to a real WebOps, except that new entries are saved through the HTTP client
    (to a server that keeps failing)."""

    def __init__(self, inner: WebOps, http: HttpWebOps) -> None:
        self._inner = inner
        self._http = http

    async def create_entry(self, *args: Any, **kwargs: Any) -> Any:
        return await self._http.create_entry(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


async def saving_to(tmp_path: Path, url: str) -> AsyncIterator[Harness]:
    http = HttpWebOps(url, "fsd_token")  # the client's own retry policy
    try:
        async for harness in variables_view(tmp_path, wrap=lambda w: SavingOverHttp(w, http)):
            yield harness
    finally:
        await http.close()


@pytest_asyncio.fixture
async def saving_to_busy(tmp_path: Path) -> AsyncIterator[tuple[Harness, BusyServer]]:
    async with busy_server(503) as busy:
        async for harness in saving_to(tmp_path, busy.base_url):
            yield harness, busy


@pytest_asyncio.fixture
async def saving_to_nobody(tmp_path: Path) -> AsyncIterator[Harness]:
    with socket.socket() as closed:  # a port nobody listens on once it is closed
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    async for harness in saving_to(tmp_path, f"http://127.0.0.1:{port}"):
        yield harness


async def submit_and_wait_for_failure(ui: Harness) -> None:
    fill(ui, "FS_DISCOVERY_APP_KEY", "vtexappkey-store-ABCDEF")
    QTest.mouseClick(ui.view.form.submit_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: not ui.view.form.failure.isHidden(), what="the failure message")


@pytest.mark.asyncio
async def test_a_save_the_client_gave_up_on_is_sent_only_as_often_as_its_policy_says(
    saving_to_busy: tuple[Harness, BusyServer],
) -> None:
    ui, busy = saving_to_busy
    await submit_and_wait_for_failure(ui)
    attempts = RetryPolicy().attempts
    assert busy.requests == [f"POST /api/v1/stores/{ui.store.id}/entries"] * attempts
    form = ui.view.form
    assert form.failure.text() == "Failed to create secret. Please, try again."
    assert form.details.text() == (
        f"The server is busy or unreachable (HTTP 503). The request was sent {attempts} times."
    )
    assert (form.key(), form.value()) == ("FS_DISCOVERY_APP_KEY", "vtexappkey-store-ABCDEF")
    await asyncio.sleep(1.5)  # longer than the UI's own retries would wait: nothing more is sent
    assert len(busy.requests) == attempts


@pytest.mark.asyncio
async def test_a_save_to_a_server_nobody_answers_for_says_it_could_not_be_reached(
    saving_to_nobody: Harness,
) -> None:
    ui = saving_to_nobody
    await submit_and_wait_for_failure(ui)
    form = ui.view.form
    assert form.failure.text() == "Failed to create secret. Please, try again."
    assert "could not be reached" in form.details.text()
    assert form.details.text().endswith(f"sent {RetryPolicy().attempts} times.")
    assert form.value() == "vtexappkey-store-ABCDEF"
