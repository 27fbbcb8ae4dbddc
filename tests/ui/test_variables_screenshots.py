"""Pictures of the Variables view and its dialogs with realistic data, for a person to look at.

Saved to artifacts/screenshots/ (git-ignored); the main window's picture is the README's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from async_support import wait_until
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot
from screenshot_support import OUT, save
from test_app_start import running
from variables_support import visible_dialog

from faststore_desktop.core.changeset import ChangeSet, create
from faststore_desktop.core.entries import EntryType
from faststore_desktop.ui.dialogs.about import AboutDialog
from faststore_desktop.ui.dialogs.bulk_edit import BulkEditDialog
from faststore_desktop.ui.dialogs.conflict import ConflictDialog, NewEntry
from faststore_desktop.ui.dialogs.entry_edit import EntryEditDialog
from faststore_desktop.ui.dialogs.history import HistoryDialog
from faststore_desktop.ui.dialogs.keyring_missing import KeyringMissingDialog
from faststore_desktop.ui.icons import style_sheet

EXTRA = [
    ("NEXT_PUBLIC_GTM_ID", EntryType.TEXT, "GTM-5Q9ZK2L"),
    ("NEXT_PUBLIC_CDN_URL", EntryType.TEXT, "https://cdn.storeframework.com"),
    ("CHECKOUT_API_TOKEN", EntryType.SECRET, "tok_live_51Hk2"),
    ("SEARCH_REGION", EntryType.TEXT, "us-east-1"),
    ("REVIEWS_API_KEY", EntryType.SECRET, "rv-8842-ab"),
]

PASTED = """\
VTEX_ACCOUNT=storeframework
NEXT_PUBLIC_GTM_ID=GTM-NEW1234
ALGOLIA_ADMIN_KEY=f3a9c8e7d6b5
 PAYMENT_WEBHOOK_SECRET="whsec_1234 "
"""


async def shoot_dialog(
    kind: type[QDialog], opener: Awaitable[None], name: str, prepare: Callable[[QDialog], None]
) -> None:
    task = asyncio.ensure_future(opener)
    await wait_until(lambda: visible_dialog(kind) is not None, 20, name)
    dialog = visible_dialog(kind)
    assert isinstance(dialog, kind)
    prepare(dialog)
    await asyncio.sleep(0.3)
    save(dialog, name)
    dialog.reject()
    await task


def dark_palette() -> QPalette:
    """What an OS in dark mode hands the app (Fusion's dark colours)."""
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#202124",
        QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#17181a",
        QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.Text: "#e8eaed",
        QPalette.ColorRole.Button: "#2d2f33",
        QPalette.ColorRole.ButtonText: "#e8eaed",
        QPalette.ColorRole.Highlight: "#2f6fd0",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        QPalette.ColorRole.Mid: "#44474c",
        QPalette.ColorRole.ToolTipBase: "#2d2f33",
        QPalette.ColorRole.ToolTipText: "#e8eaed",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    return palette


async def shoot_dark(window: QWidget) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    light, style = app.palette(), app.style().name()
    app.setStyle("Fusion")
    app.setPalette(dark_palette())
    app.setStyleSheet(style_sheet("app"))
    await asyncio.sleep(0.3)
    save(window, "main-window-dark")
    app.setStyle(style)
    app.setPalette(light)
    app.setStyleSheet(style_sheet("app"))


# The real (private) Secret Service: with the tests' in-memory keyring the status bar would
# show the "Not a system keyring" warning no user of a system keyring sees.
@pytest.mark.usefixtures("real_keyring")
@pytest.mark.asyncio
@pytest.mark.usefixtures("styled")
async def test_screenshots(tmp_path: Path) -> None:
    async with running(tmp_path) as started:
        app, view = started.app, started.view
        await wait_until(lambda: view.model.rowCount() > 0, 60, "the sample entries")
        webops, store = app.context.require()
        await webops.create_deployment(store.id, "First deployment")
        await wait_until(lambda: not view.banner.isVisible(), 60, "the first deployment")
        changes = ChangeSet(create(key, type, value) for key, type, value in EXTRA)
        await webops.apply(store.id, changes, idempotency_key="screenshot-extra")
        app.context.entriesChanged.emit()
        await wait_until(lambda: view.model.row_of("REVIEWS_API_KEY") is not None, 20)
        view.toggle_reveal("NEXT_PUBLIC_CDN_URL")
        view.form.key_edit.setText("NEXT_PUBLIC_API_SECRET")
        view.form.value_edit.setPlainText(" sk_live_123")
        view.form.relint()
        app.window.resize(1280, 860)
        app.context.toast.emit("New secret added successfully", "success")
        await asyncio.sleep(0.3)
        save(app.window, "main-window")
        await shoot_dark(app.window)

        entry = view.model.entry("NEXT_PUBLIC_GTM_ID")
        assert entry is not None
        await shoot_dialog(EntryEditDialog, view.edit(entry), "edit-entry", lambda d: None)
        for version, value in ((1, "GTM-5Q9ZK2M"), (2, "GTM-5Q9ZK2N")):
            await webops.update_entry(store.id, entry.key, value, expected_version=version)
        await webops.rollback_entry(store.id, entry.key, 1, expected_version=3)
        app.context.entriesChanged.emit()
        await wait_until(lambda: (view.model.entry(entry.key) or entry).version == 4, 20)
        entry = view.model.entry(entry.key)
        assert entry is not None

        def select_second(dialog: QDialog) -> None:
            assert isinstance(dialog, HistoryDialog)
            dialog.table.selectRow(2)

        await shoot_dialog(HistoryDialog, view.history(entry), "history", select_second)

        def paste(dialog: QDialog) -> None:
            assert isinstance(dialog, BulkEditDialog)
            dialog.input.setPlainText(PASTED)
            dialog.restage()

        await shoot_dialog(BulkEditDialog, view.bulk_edit(), "bulk-edit", paste)
        theirs = await webops.update_entry(
            store.id, entry.key, "GTM-OTHER", expected_version=entry.version
        )
        dialog = ConflictDialog(entry, theirs, app.window)
        dialog.show()
        await asyncio.sleep(0.2)
        save(dialog, "conflict")
        dialog.close()
        typed = NewEntry(entry.key, entry.type, "GTM-MINE")
        dialog = ConflictDialog(typed, theirs, app.window)  # a key added meanwhile
        dialog.show()
        await asyncio.sleep(0.2)
        save(dialog, "conflict-added")
        dialog.close()
        keyring_dialog = KeyringMissingDialog(
            "No system keyring is available. Install GNOME Keyring or KWallet (on Debian and "
            "Ubuntu: sudo apt install gnome-keyring) and log in again.",
            app.window,
        )
        keyring_dialog.show()
        await asyncio.sleep(0.2)
        save(keyring_dialog, "keyring-missing")
        keyring_dialog.close()
    assert (OUT / "main-window.png").stat().st_size > 10_000


@pytest.mark.usefixtures("styled")
def test_about_screenshot(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    save(dialog, "about")
