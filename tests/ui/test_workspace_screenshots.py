"""Pictures of the Local development and Migration views with realistic data, for a person to
look at. Saved to artifacts/screenshots/ (git-ignored)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from async_support import wait_until
from deploys_support import host
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot
from screenshot_support import save
from test_app_start import running
from workspace_repo import ENDLESS_HISTORY, install_git_shim, realistic_store, written_pid
from workspace_support import close_store, open_store

from faststore_desktop.core.workspace.trash import FreedesktopTrash
from faststore_desktop.ui.dialogs.workspace_pull import PullDialog
from faststore_desktop.ui.views.local_dev import LocalDevView
from faststore_desktop.ui.views.migration import MigrationView
from faststore_desktop.ui.widgets.workspace_migration_table import MigrationColumn

HIDDEN = {
    "account": "ENC[AES256_GCM,data:c2hvcA==,iv:aXY=,tag:dGFn,type:str]",
    "FS_DISCOVERY_APP_KEY": "ENC[AES256_GCM,data:YWJj,iv:aXY=,tag:dGFn,type:str]",
    "PAYMENT_WEBHOOK_SECRET": "ENC[AES256_GCM,data:cGF5,iv:aXY=,tag:dGFn,type:str]",
    "sops": {"lastmodified": "2023-05-02T10:00:00Z", "mac": "ENC[AES256_GCM,data:bWFj]"},
}


@pytest.mark.asyncio
@pytest.mark.usefixtures("styled")
async def test_local_development_screenshots(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    realistic_store(tmp_path / "store")
    opened = await open_store(tmp_path, tmp_path / "store")
    try:
        view = LocalDevView(opened.context)
        window = host(view, 1180, 640)
        qtbot.addWidget(window)
        opened.show()
        await wait_until(lambda: view.compare.model.rowCount() > 0, what="the compare")
        await view.run_code_check()
        await view.run_leak_scan()
        for index, name in enumerate(["env", "checks", "compare", "code", "leaks"]):
            view.tabs.setCurrentIndex(index)
            await asyncio.sleep(0.1)
            assert save(window, f"local-development-{name}").stat().st_size > 0
        view.tabs.setCurrentIndex(0)
        view.editor.views.setCurrentIndex(1)
        await asyncio.sleep(0.1)
        save(window, "local-development-env-text")

        task = asyncio.ensure_future(view.pull())
        await wait_until(lambda: view.findChild(PullDialog) is not None, what="the pull dialog")
        dialog = view.findChild(PullDialog)
        assert dialog is not None
        await asyncio.sleep(0.1)
        save(dialog, "local-development-pull")
        dialog.reject()
        await task

        view.tabs.setCurrentWidget(view.code)
        view.code.table.selectRow(0)
        menu = QMenu(window)
        menu.addActions(view.code.table.actions())  # what right-clicking the row shows
        await asyncio.sleep(0.1)
        save(menu, "local-development-code-menu")

        pid = tmp_path / "history.pid"
        install_git_shim(tmp_path / "shim", monkeypatch, ENDLESS_HISTORY.format(pid=pid))
        view.tabs.setCurrentWidget(view.leaks)
        view.leaks.button.click()
        await wait_until(lambda: written_pid(pid) is not None, what="the history scan")
        save(window, "local-development-leaks-scanning")
        view.leaks.button.click()
        await wait_until(lambda: not view.leak_scan_running, what="the scan to stop")
        save(window, "local-development-leaks-cancelled")
    finally:
        await close_store(opened)


@pytest.mark.asyncio
@pytest.mark.usefixtures("styled")
async def test_migration_screenshot(qtbot: QtBot, tmp_path: Path) -> None:
    box = realistic_store(tmp_path / "store")
    box.write("secrets.hidden.json", json.dumps(HIDDEN, indent=2))
    opened = await open_store(tmp_path, tmp_path / "store")
    try:
        view = MigrationView(opened.context, trash=FreedesktopTrash(tmp_path / "trash"))
        window = host(view, 1180, 560)
        qtbot.addWidget(window)
        opened.show()
        await wait_until(lambda: view.model.rowCount() == 3, what="the legacy keys")
        view.table.selectRow(2)
        assert view.model.index(2, MigrationColumn.KEY).data() == "PAYMENT_WEBHOOK_SECRET"
        await asyncio.sleep(0.1)
        save(window, "migration")
    finally:
        await close_store(opened)


# The real (private) Secret Service: with the tests' in-memory keyring the status bar would
# show the "Not a system keyring" warning no user of a system keyring sees.
@pytest.mark.usefixtures("real_keyring")
@pytest.mark.asyncio
@pytest.mark.usefixtures("styled")
async def test_main_window_on_the_workspace_views(tmp_path: Path) -> None:
    """The two views in the app's own window, on the sample store a first run opens."""
    async with running(tmp_path) as started:
        window = started.app.window
        await wait_until(lambda: started.app.context.store is not None, 60, "the sample store")
        window.resize(1280, 800)
        window.show_view("local")
        local = window.findChild(LocalDevView)
        assert local is not None
        await wait_until(lambda: local.compare.model.rowCount() > 0, 60, "the compare")
        local.tabs.setCurrentIndex(1)
        await asyncio.sleep(0.2)
        save(window, "main-window-local-development")
        window.show_view("migration")
        migration = window.findChild(MigrationView)
        assert migration is not None
        await wait_until(lambda: "nothing to migrate" in migration.explanation.text(), 60)
        save(window, "main-window-migration")
