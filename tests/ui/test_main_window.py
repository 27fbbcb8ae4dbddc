"""The main window: shortcuts, the store switcher, unexpected failures, and secrets never shown."""

from __future__ import annotations

import asyncio
from pathlib import Path

import keyring.backend
import pytest
from async_support import wait_until
from keyring_fakes import MemoryKeyring
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox, QPlainTextEdit
from test_app_start import running
from variables_support import visible_dialog

from faststore_desktop.app import install_exception_handler
from faststore_desktop.core.entries import EntryType
from faststore_desktop.settings import Key, Settings
from faststore_desktop.ui.dialogs.about import AboutDialog
from faststore_desktop.ui.dialogs.bulk_edit import BulkEditDialog
from faststore_desktop.ui.models.entries import EntryRole
from faststore_desktop.ui.tasks import spawn
from faststore_desktop.webops.models import DeploymentQuery, StoreConfig

CANARY = "canary-9f1c2e-never-on-screen"


def action(window: object, text: str) -> QAction:
    found = [a for a in window.findChildren(QAction) if a.text().replace("&", "") == text]  # type: ignore[attr-defined]
    assert len(found) == 1, text
    return found[0]


@pytest.mark.asyncio
async def test_shortcuts_reach_the_current_view(tmp_path: Path) -> None:
    async with running(tmp_path) as started:
        window, view = started.app.window, started.view
        await wait_until(lambda: view.model.rowCount() > 0, 60)
        assert action(window, "Find").shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
        assert action(window, "New entry").shortcut() == QKeySequence(QKeySequence.StandardKey.New)
        assert action(window, "Redeploy").shortcut() == QKeySequence("Ctrl+Shift+R")
        assert not action(window, "Connections…").shortcut().isEmpty()
        assert not action(window, "Quit").shortcut().isEmpty()
        assert action(window, "Variables and secrets").shortcut() == QKeySequence("Ctrl+1")
        window.activateWindow()
        action(window, "Find").trigger()
        assert view.filter_edit.hasFocus() or QApplication.focusWidget() is view.filter_edit
        action(window, "New entry").trigger()
        assert QApplication.focusWidget() is view.form.key_edit

        # Delete in a text field deletes a character, not an entry.
        view.form.key_edit.setText("AB")
        view.form.key_edit.setCursorPosition(0)
        QTest.keyClick(view.form.key_edit, Qt.Key.Key_Delete)
        assert view.form.key_edit.text() == "B"
        await asyncio.sleep(0.05)
        assert visible_dialog(QMessageBox) is None

        view.table.setCurrentIndex(view.proxy.index(0, 0))
        action(window, "Delete entry").trigger()
        await wait_until(lambda: visible_dialog(QMessageBox) is not None, 10, "the confirmation")
        box = visible_dialog(QMessageBox)
        assert isinstance(box, QMessageBox)
        assert view.proxy.index(0, 0).data() in box.text()
        box.reject()
        await asyncio.sleep(0.05)

        action(window, "About FastStore Desktop").trigger()
        await wait_until(lambda: visible_dialog(AboutDialog) is not None, 10, "About")
        about = visible_dialog(AboutDialog)
        assert isinstance(about, AboutDialog)
        about.reject()


@pytest.mark.asyncio
async def test_switching_stores(tmp_path: Path) -> None:
    async with running(tmp_path) as started:
        window, view, session = started.app.window, started.view, started.app.session
        await wait_until(lambda: view.model.rowCount() > 0, 60)
        webops, _ = started.app.context.require()
        other = await webops.create_store(StoreConfig(name="Outlet store"))
        await session.refresh_stores()
        assert window.store_box.count() == 2
        index = window.store_box.findData(other.id)
        window.store_box.setCurrentIndex(index)
        window.store_box.activated.emit(index)
        await wait_until(lambda: started.app.context.store.id == other.id, 10)
        await wait_until(lambda: not view.loading, 10)
        assert view.model.rowCount() == 0
        assert "Outlet store" in window.store_label.text()
        assert Settings(tmp_path / "settings.ini").get(Key.LAST_STORE) == other.id


@pytest.mark.asyncio
async def test_a_data_key_in_a_keyring_that_is_not_the_system_one_is_warned_about(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    """The tests' in-memory keyring is no system store: the warning stays in the status bar."""
    async with running(tmp_path) as started:
        window = started.app.window
        await wait_until(lambda: window.protection_label.text() != "", 60, "the key opened")
        assert memory_keyring.items  # the data key really is in that keyring
        warning = window.keyring_warning_label
        assert window.statusBar().isAncestorOf(warning)
        assert warning.isVisible()
        assert warning.text() == "⚠ Not a system keyring"
        assert warning.property("kind") == "warning"
        tip = warning.toolTip()
        assert "keyring fakes MemoryKeyring" in tip  # the keyring in use, named
        assert "is not your system's protected keyring" in tip  # what it means
        assert "install gnome-keyring, or KWallet" in tip  # what to install (Linux)
        assert '"data-key"' in tip  # and what not to lose when switching
        assert warning.accessibleDescription() == tip
        window.statusBar().showMessage("a transient message", 50)
        await asyncio.sleep(0.15)
        assert warning.isVisible()  # persistent: a passing message does not remove it


@pytest.mark.asyncio
async def test_no_keyring_warning_with_the_system_keyring(
    tmp_path: Path, real_keyring: keyring.backend.KeyringBackend
) -> None:
    async with running(tmp_path) as started:
        window = started.app.window
        await wait_until(lambda: window.protection_label.text() != "", 60, "the key opened")
        assert window.protection_label.text().startswith("Key in ")
        assert not window.keyring_warning_label.isVisible()
        assert window.keyring_warning_label.toolTip() == ""


@pytest.mark.asyncio
async def test_an_unexpected_failure_becomes_a_visible_message(tmp_path: Path) -> None:
    async with running(tmp_path) as started:
        loop = asyncio.get_running_loop()
        previous = loop.get_exception_handler()
        install_exception_handler(loop, started.app.window)
        try:

            async def broken() -> None:
                raise LookupError("a bug")

            spawn(broken())
            await wait_until(lambda: visible_dialog(QMessageBox) is not None, 10)
            box = visible_dialog(QMessageBox)
            assert isinstance(box, QMessageBox)
            assert box.text().startswith("Something went wrong")
            assert "LookupError: a bug" in box.detailedText()
            box.close()
        finally:
            loop.set_exception_handler(previous)


@pytest.mark.asyncio
async def test_a_secret_typed_in_is_never_on_screen_again(tmp_path: Path) -> None:
    async with running(tmp_path) as started:
        window, view = started.app.window, started.view
        await wait_until(lambda: view.model.rowCount() > 0, 60)
        QTest.keyClicks(view.form.key_edit, "PAYMENT_API_SECRET")
        view.form.value_edit.setPlainText(CANARY)
        view.form.relint()
        QTest.mouseClick(view.form.submit_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: view.model.row_of("PAYMENT_API_SECRET") is not None, 10)
        view.toggle_reveal("PAYMENT_API_SECRET")  # refused for a secret
        texts = [w.text() for w in window.findChildren(QLabel) + window.findChildren(QLineEdit)]
        texts += [w.toPlainText() for w in window.findChildren(QPlainTextEdit)]
        model = view.model
        roles = [*range(0, 15), *EntryRole]
        texts += [
            str(model.index(row, column).data(role))
            for row in range(model.rowCount())
            for column in range(model.columnCount())
            for role in roles
        ]
        assert not any(CANARY in text for text in texts)


@pytest.mark.asyncio
async def test_an_entry_someone_else_adds_appears_by_itself(tmp_path: Path) -> None:
    async with running(tmp_path) as started:
        view = started.view
        await wait_until(lambda: view.model.rowCount() > 0, 60)
        webops, store = started.app.context.require()
        await webops.create_entry(store.id, "ADDED_ELSEWHERE", EntryType.TEXT, "x")
        await wait_until(lambda: view.model.row_of("ADDED_ELSEWHERE") is not None, 10)


@pytest.mark.asyncio
async def test_bulk_apply_and_redeploy_sends_one_batch_in_one_deployment(tmp_path: Path) -> None:
    async with running(tmp_path) as started:
        view = started.view
        await wait_until(lambda: view.model.rowCount() > 0, 60)
        messages: list[str] = []
        started.app.context.toast.connect(lambda text, _kind: messages.append(text))
        task = asyncio.ensure_future(view.bulk_edit())
        await wait_until(lambda: visible_dialog(BulkEditDialog) is not None, 10)
        dialog = visible_dialog(BulkEditDialog)
        assert isinstance(dialog, BulkEditDialog)
        dialog.input.setPlainText("SEARCH_REGION=us-east-1\nREVIEWS_API_KEY=rv-8842-ab\n")
        dialog.restage()
        dialog.apply_redeploy_button.click()
        await task
        assert messages[:3] == [
            "2 changes applied successfully",
            "Redeploying with secret changes",
            "Deployment created successfully",
        ]
        webops, store = started.app.context.require()
        page = await webops.list_deployments(store.id, DeploymentQuery())
        assert page.total == 1
        deployment = await webops.get_deployment(store.id, page.items[0].id)
        built_with = {entry.key for entry in deployment.snapshot}
        assert {"SEARCH_REGION", "REVIEWS_API_KEY"} <= built_with
