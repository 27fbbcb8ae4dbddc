"""The Variables view driven as a user would, against the real embedded WebOps."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from async_support import wait_until
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu, QMessageBox, QPushButton
from variables_support import Harness, variables_view, visible_dialog

from faststore_desktop.core.entries import EntryType
from faststore_desktop.ui.dialogs.entry_edit import EntryEditDialog
from faststore_desktop.ui.models.entries import MASK, Column
from faststore_desktop.ui.views import variables


@pytest_asyncio.fixture
async def ui(tmp_path: Path) -> AsyncIterator[Harness]:
    async for harness in variables_view(tmp_path):
        yield harness


def type_entry(ui: Harness, key: str, value: str, type: EntryType | None = None) -> None:
    form = ui.view.form
    QTest.keyClicks(form.key_edit, key)
    form.value_edit.setFocus()
    QTest.keyClicks(form.value_edit, value)
    if type is not None:
        form.set_type(type)
    form.relint()


def row_value(ui: Harness, key: str, column: Column) -> object:
    row = ui.view.model.row_of(key)
    assert row is not None, key
    return ui.view.model.index(row, column).data()


@pytest.mark.asyncio
async def test_create_a_text_entry_and_a_secret(ui: Harness) -> None:
    type_entry(ui, "VTEX_ACCOUNT", "storeframework")
    assert ui.view.form.entry_type() is EntryType.TEXT
    QTest.mouseClick(ui.view.form.submit_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: ui.view.model.row_of("VTEX_ACCOUNT") is not None, what="text row")
    assert "New secret added successfully" in ui.messages
    assert ui.view.form.key() == ""  # the form is ready for the next one

    type_entry(ui, "FS_DISCOVERY_APP_TOKEN", "tok-123456")
    assert ui.view.form.entry_type() is EntryType.SECRET  # sensitive-looking: secret by default
    QTest.mouseClick(ui.view.form.submit_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: ui.view.model.row_of("FS_DISCOVERY_APP_TOKEN") is not None)

    assert row_value(ui, "VTEX_ACCOUNT", Column.VALUE) == MASK
    assert row_value(ui, "FS_DISCOVERY_APP_TOKEN", Column.TYPE) == "Secret"
    assert row_value(ui, "FS_DISCOVERY_APP_TOKEN", Column.STATUS) == "Pending redeploy"
    assert ui.view.banner.isVisible()
    assert ui.view.pending_count == 2
    ui.view.toggle_reveal("VTEX_ACCOUNT")
    assert row_value(ui, "VTEX_ACCOUNT", Column.VALUE) == "storeframework"
    ui.view.toggle_reveal("FS_DISCOVERY_APP_TOKEN")
    assert row_value(ui, "FS_DISCOVERY_APP_TOKEN", Column.VALUE) == MASK


@pytest.mark.asyncio
async def test_errors_block_add_and_warnings_ask_first(ui: Harness) -> None:
    type_entry(ui, "1BAD-KEY", "x")
    assert not ui.view.form.submit_button.isEnabled()
    assert any("key" in text.lower() for text in ui.view.form.lints.texts())

    ui.view.form.reset()
    type_entry(ui, "GREETING", " hello ")  # leading/trailing whitespace: a warning
    assert ui.view.form.submit_button.isEnabled()
    QTest.mouseClick(ui.view.form.submit_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: visible_dialog(QMessageBox) is not None, what="confirmation")
    box = visible_dialog(QMessageBox)
    assert isinstance(box, QMessageBox)
    box.reject()
    await wait_until(lambda: visible_dialog(QMessageBox) is None)
    assert ui.view.model.row_of("GREETING") is None
    assert ui.view.form.key() == "GREETING"

    QTest.mouseClick(ui.view.form.submit_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: visible_dialog(QMessageBox) is not None)
    box = visible_dialog(QMessageBox)
    assert isinstance(box, QMessageBox)
    next(b for b in box.buttons() if b.text() == "Add").click()
    await wait_until(lambda: ui.view.model.row_of("GREETING") is not None)


@pytest.mark.asyncio
async def test_update_then_delete_with_confirmation(ui: Harness) -> None:
    await ui.webops.create_entry(ui.store.id, "VTEX_ACCOUNT", EntryType.TEXT, "old")
    ui.view.reload()
    await wait_until(lambda: ui.view.model.row_of("VTEX_ACCOUNT") is not None)
    entry = ui.view.model.entry("VTEX_ACCOUNT")
    assert entry is not None

    menu = ui.view.row_menu(ui.view.proxy.index(0, Column.ACTIONS))
    assert menu is not None
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts == ["Edit", "Show value", "Copy value", "History", "Delete"]
    next(a for a in menu.actions() if a.text() == "Edit").trigger()
    await wait_until(lambda: visible_dialog(EntryEditDialog) is not None, what="edit dialog")
    dialog = visible_dialog(EntryEditDialog)
    assert isinstance(dialog, EntryEditDialog)
    assert dialog.form.submit_button.text() == "Update"
    dialog.form.value_edit.setPlainText("new")
    dialog.form.relint()
    QTest.mouseClick(dialog.form.submit_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: "Secret updated successfully" in ui.messages)
    assert (await ui.webops.get_entry(ui.store.id, "VTEX_ACCOUNT")).value == "new"
    await wait_until(lambda: ui.view.model.entry("VTEX_ACCOUNT").version == 2)

    ui.view.table.setCurrentIndex(ui.view.proxy.index(0, Column.KEY))
    ui.view.delete_selected()
    await wait_until(lambda: visible_dialog(QMessageBox) is not None, what="delete confirmation")
    box = visible_dialog(QMessageBox)
    assert isinstance(box, QMessageBox)
    assert "VTEX_ACCOUNT" in box.text()
    assert box.informativeText() == "This action can't be undone."
    delete = next(b for b in box.buttons() if b.text() == "Delete secret")
    assert isinstance(delete, QPushButton)
    delete.click()
    await wait_until(lambda: "Secret deleted successfully" in ui.messages)
    await wait_until(lambda: ui.view.model.row_of("VTEX_ACCOUNT") is None)
    # Created and deleted before any deployment: it never went live, so nothing is pending.
    assert ui.view.pending_count == 0


@pytest.mark.asyncio
@pytest.mark.qt_log_ignore("This plugin does not support")  # popups offscreen: no raise, no grab
async def test_the_row_menu_opens_from_its_column_and_copies_text_only(ui: Harness) -> None:
    await ui.webops.create_entry(ui.store.id, "SHOP_NAME", EntryType.TEXT, "Demo shop")
    await ui.webops.create_entry(ui.store.id, "SHOP_SECRET", EntryType.SECRET, "hidden-value")
    ui.view.reload()
    await wait_until(lambda: ui.view.model.rowCount() == 2)
    cell = ui.view.proxy.index(0, Column.ACTIONS)
    assert cell.data() == "⋮"
    ui.view.table.clicked.emit(cell)
    await wait_until(lambda: any(m.isVisible() for m in ui.view.findChildren(QMenu)), 5)
    menu = next(m for m in ui.view.findChildren(QMenu) if m.isVisible())
    next(a for a in menu.actions() if a.text() == "Copy value").trigger()
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text() == "Demo shop"
    assert "Value of SHOP_NAME copied for 30 seconds" in ui.messages
    menu.close()
    secret_menu = ui.view.row_menu(ui.view.proxy.index(1, Column.ACTIONS))
    assert secret_menu is not None
    assert "Copy value" not in [a.text() for a in secret_menu.actions()]
    assert "Show value" not in [a.text() for a in secret_menu.actions()]
    ui.view.clipboard.clear_if_unchanged()
    assert clipboard.text() == ""


@pytest.mark.asyncio
async def test_update_needs_a_change(ui: Harness) -> None:
    await ui.webops.create_entry(ui.store.id, "SHOP_NAME", EntryType.TEXT, "Demo shop")
    ui.view.reload()
    await wait_until(lambda: ui.view.model.entry("SHOP_NAME") is not None)
    entry = ui.view.model.entry("SHOP_NAME")
    assert entry is not None
    dialog = EntryEditDialog(entry, ["SHOP_NAME"], ui.view)
    assert not dialog.form.submit_button.isEnabled()  # nothing to update yet
    dialog.form.set_type(EntryType.SECRET)
    assert dialog.form.submit_button.isEnabled()
    dialog.form.set_type(EntryType.TEXT)
    dialog.form.value_edit.setPlainText("Demo shop 2")
    dialog.form.relint()
    assert dialog.form.submit_button.isEnabled()
    dialog.deleteLater()


@pytest.mark.asyncio
async def test_a_shown_text_value_hides_again_by_itself(
    ui: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(variables, "REVEAL_MS", 1000)  # 20 s in the app
    await ui.webops.create_entry(ui.store.id, "VTEX_ACCOUNT", EntryType.TEXT, "storeframework")
    ui.view.reload()
    await wait_until(lambda: ui.view.model.row_of("VTEX_ACCOUNT") is not None, what="the row")
    row = ui.view.model.row_of("VTEX_ACCOUNT")
    assert row is not None
    ui.view.table.setCurrentIndex(ui.view.proxy.mapFromSource(ui.view.model.index(row, 0)))
    loop = asyncio.get_running_loop()

    QTest.keyClick(ui.view.table, Qt.Key.Key_Space)  # Show value
    shown_at = loop.time()
    assert row_value(ui, "VTEX_ACCOUNT", Column.VALUE) == "storeframework"
    await asyncio.sleep(0.2)
    assert row_value(ui, "VTEX_ACCOUNT", Column.VALUE) == "storeframework"  # not at once

    await wait_until(
        lambda: row_value(ui, "VTEX_ACCOUNT", Column.VALUE) == MASK, 10, "the value to hide"
    )
    assert loop.time() - shown_at >= 0.9
    assert not ui.view.model.is_revealed("VTEX_ACCOUNT")

    # Shown again, it stays for the whole time again; hidden by hand, no timer is left behind.
    QTest.keyClick(ui.view.table, Qt.Key.Key_Space)
    assert row_value(ui, "VTEX_ACCOUNT", Column.VALUE) == "storeframework"
    QTest.keyClick(ui.view.table, Qt.Key.Key_Space)
    assert row_value(ui, "VTEX_ACCOUNT", Column.VALUE) == MASK
    assert not ui.view._reveal_timers
