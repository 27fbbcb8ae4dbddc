"""The composition root: first run on the sample store, the keyring missing, redeploy, and what
the next start restores."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import keyring
import pytest
from async_support import wait_until
from keyring.backends import fail
from keyring_support import next_dialog
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from team_server import team_server
from variables_support import install_english, visible_dialog

from faststore_desktop.app import App
from faststore_desktop.backends import Backends
from faststore_desktop.settings import LOCAL_CONNECTION_ID, Key, ServerConnection, Settings
from faststore_desktop.ui.dialogs.keyring_missing import KeyringMissingDialog
from faststore_desktop.ui.session import Opened
from faststore_desktop.ui.views.variables import VariablesView
from faststore_desktop.webops import keychain
from faststore_desktop.webops.local.ownership import FolderLock
from faststore_desktop.webops.protocol import WebOps


class Started:
    """The app as `python -m faststore_desktop` builds it, on temporary folders."""

    def __init__(self, tmp_path: Path, backends: Backends | None = None) -> None:
        install_english()
        self.settings = Settings(tmp_path / "settings.ini")
        self.app = App(backends or Backends(tmp_path / "data"), self.settings)
        self.task = self.app.start()

    @property
    def view(self) -> VariablesView:
        view = self.app.window.views[0]
        assert isinstance(view, VariablesView)
        return view

    async def stop(self) -> None:
        await asyncio.wait_for(asyncio.shield(self.task), 60)
        self.app.window.close()  # saves geometry, view and store as a user's close does
        await self.app.close()  # also ends the work the views started, as the app does
        self.app.window.deleteLater()
        await asyncio.sleep(0.05)


@asynccontextmanager
async def running(tmp_path: Path, backends: Backends | None = None) -> AsyncIterator[Started]:
    """Started inside the test, so that its background start-up runs on the test's loop."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)  # closing the window must not end the test's loop
    started = Started(tmp_path, backends)
    try:
        yield started
    finally:
        await started.stop()
        app.setQuitOnLastWindowClosed(True)


@pytest.mark.asyncio
async def test_first_run_opens_the_sample_store_without_a_question(tmp_path: Path) -> None:
    async with running(tmp_path) as started:
        assert started.app.window.isVisible()  # shown before the store is open
        await wait_until(lambda: started.app.context.store is not None, 60, "the sample store")
        await wait_until(lambda: started.view.model.rowCount() > 0, 30, "the sample entries")
        assert started.app.context.store.config.name == "Sample store"
        # What the views key local choices by (see ui/store_folder.py): the app's own settings.
        assert started.app.context.connection_id == LOCAL_CONNECTION_ID
        assert started.app.context.settings is started.settings
        assert started.view.model.row_of("FS_DISCOVERY_APP_KEY") is not None
        window = started.app.window
        assert "Sample store" in window.store_label.text()
        assert window.connection_box.currentText() == "This computer"
        assert window.nav.item(0).text() == "Variables and secrets"
        assert window.protection_label.text().startswith("Key in ")  # the keyring in use


class ClosingWatched:
    """Delegates to a real backend and notes whether it was closed."""

    def __init__(self, inner: WebOps) -> None:
        self._inner = inner
        self.closed = False

    async def close(self) -> None:
        self.closed = True
        await self._inner.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class WatchedBackends(Backends):
    """The app's Backends; each server backend it opens is kept in `servers`, watched."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir)
        self.servers: list[ClosingWatched] = []

    async def open_server(self, url: str) -> Opened:
        opened = await super().open_server(url)
        watched = ClosingWatched(opened.webops)
        self.servers.append(watched)
        return Opened(watched, opened.protection, opened.protection_warning)  # type: ignore[arg-type]


@pytest.mark.asyncio
async def test_a_connection_that_fails_to_open_leaves_the_open_one_and_its_status(
    tmp_path: Path,
) -> None:
    """The server's backend opens (its token is in the keyring) but refuses to list the stores:
    the embedded store stays open, the status bar keeps saying how its key is kept, and the
    server's backend is closed."""
    backends = WatchedBackends(tmp_path / "data")
    with team_server(tmp_path) as served:
        url = served.process.base_url
        await backends.save_token(url, "fsd_not_a_token_of_this_server")
        try:
            async with running(tmp_path, backends) as started:
                await wait_until(lambda: started.app.context.store is not None, 60, "the store")
                window, session = started.app.window, started.app.session
                warning = window.keyring_warning_label

                def status() -> tuple[str, str, str, bool]:
                    label = window.protection_label.text()
                    return label, warning.text(), warning.toolTip(), warning.isVisibleTo(window)

                before = status()
                assert before[0].startswith("Key in ")
                started.settings.set_servers([ServerConnection("Team server", url)])
                failures: list[str] = []
                session.failed.connect(lambda message, _details: failures.append(message))
                server = session.connection_by_id(url)
                assert server is not None

                assert not await session.open(server)
                session.storesChanged.emit()  # as adding a server or reading the stores does

                assert failures == ["Could not open Team server."]
                assert session.connection is not None and session.connection.is_local
                assert started.app.context.connection_id == LOCAL_CONNECTION_ID
                assert status() == before
                assert [watched.closed for watched in backends.servers] == [True]
        finally:
            await backends.forget_token(url)


@pytest.mark.asyncio
async def test_redeploy_shows_the_messages_and_the_banner_goes_after_success(
    tmp_path: Path,
) -> None:
    async with running(tmp_path) as started:
        await wait_until(lambda: started.view.model.rowCount() > 0, 60, "the sample entries")
        view = started.view
        await wait_until(view.banner.isVisible, 10, "the pending banner")
        messages: list[str] = []
        started.app.context.toast.connect(lambda text, _kind: messages.append(text))
        view.banner.button.click()
        await wait_until(lambda: "Deployment created successfully" in messages, 30)
        assert messages[0] == "Redeploying with secret changes"
        await wait_until(lambda: not view.banner.isVisible(), 90, "a successful deployment")
        assert view.pending_count == 0
        assert "0 pending changes" in started.app.window.pending_label.text()


@pytest.mark.asyncio
async def test_keyring_missing_offers_a_passphrase(tmp_path: Path) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        async with running(tmp_path) as started:
            await choose_a_passphrase(started)
    finally:
        keyring.set_keyring(previous)
    async with running(tmp_path) as again:  # the next start asks for that passphrase only
        await enter_the_passphrase(again)


async def choose_a_passphrase(started: Started) -> None:
    dialog = await next_dialog()
    assert not dialog.use_button.isEnabled()
    dialog.passphrase.setText("correct horse battery")
    dialog.repeat.setText("correct horse battery")
    assert dialog.use_button.isEnabled()
    dialog.use_button.click()
    await wait_until(lambda: started.app.context.store is not None, 60, "the store")
    assert started.app.window.protection_label.text() == "Protected by a passphrase"
    assert started.app.context.store.config.name == "Sample store"


async def enter_the_passphrase(again: Started) -> None:
    dialog = await next_dialog()
    assert dialog.repeat.isHidden()
    dialog.passphrase.setText("wrong passphrase!")
    dialog.use_button.click()
    retry = await next_dialog(dialog)  # the passphrase asked again
    assert retry.problem.isVisible()
    retry.passphrase.setText("correct horse battery")
    retry.use_button.click()
    await wait_until(lambda: again.app.context.store is not None, 60, "the store")


@pytest.mark.asyncio
async def test_the_next_start_restores_size_view_and_store(tmp_path: Path) -> None:
    async with running(tmp_path) as first:
        await wait_until(lambda: first.app.context.store is not None, 60)
        first.app.window.resize(700, 520)  # the offscreen screen is 800 x 600
        size = first.app.window.size().toTuple()  # at least the views' minimum size
        store_id = first.app.context.store.id
    settings = Settings(tmp_path / "settings.ini")
    assert settings.get(Key.LAST_STORE) == store_id
    assert settings.get(Key.LAST_VIEW) == "variables"
    async with running(tmp_path) as second:
        assert second.app.window.size().toTuple() == size != (1200, 780)  # not the default
        await wait_until(lambda: second.app.context.store is not None, 60)
        assert second.app.context.store.id == store_id


@pytest.mark.keyring
@pytest.mark.asyncio
async def test_first_run_with_the_real_os_keyring(tmp_path: Path, real_keyring: object) -> None:
    async with running(tmp_path) as started:
        await wait_until(lambda: started.view.model.rowCount() > 0, 60, "the sample entries")
        assert visible_dialog(KeyringMissingDialog) is None
        assert keychain.is_secure_backend()


@pytest.mark.asyncio
async def test_keyring_missing_not_now_leaves_the_window_usable(tmp_path: Path) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        async with running(tmp_path) as started:
            dialog = await next_dialog()
            assert "keyring" in " ".join(label.text() for label in dialog.findChildren(QLabel))
            dialog.reject()
            await asyncio.wait_for(asyncio.shield(started.task), 10)
            assert started.app.context.store is None
            assert "Not connected" in started.app.window.connection_label.text()
            assert not started.app.window.redeploy_action.isEnabled()
    finally:
        keyring.set_keyring(previous)


@pytest.mark.asyncio
async def test_a_data_folder_in_use_is_explained_and_can_be_tried_again(tmp_path: Path) -> None:
    other = FolderLock.acquire(tmp_path / "data")  # another app window, or a server
    try:
        async with running(tmp_path) as started:
            box = await in_use_message()
            assert "Try again" in [button.text() for button in box.buttons()]
            assert str(tmp_path / "data") in box.informativeText()
            assert "Close the other one" in box.informativeText()
            cancel = box.button(QMessageBox.StandardButton.Cancel)
            assert cancel is not None
            cancel.click()
            await asyncio.wait_for(asyncio.shield(started.task), 10)
            assert started.app.context.store is None
            assert "Not connected" in started.app.window.connection_label.text()
            assert visible_dialog(QMessageBox) is None  # no "Something went wrong"

        async with running(tmp_path) as again:
            box = await in_use_message()
            other.release()
            next(b for b in box.buttons() if b.text() == "Try again").click()
            await wait_until(lambda: again.app.context.store is not None, 60, "the store")
    finally:
        other.release()


async def in_use_message() -> QMessageBox:
    await wait_until(lambda: visible_dialog(QMessageBox) is not None, 30, "the message")
    box = visible_dialog(QMessageBox)
    assert isinstance(box, QMessageBox)
    assert box.text() == "FastStore Desktop is already open with this data folder."
    return box
