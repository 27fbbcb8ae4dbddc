"""The Migration view driven as a user would, against the embedded WebOps and real git, and
against a store of a WebOps API server (whose code folder is remembered on this computer)."""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from async_support import wait_until
from deploys_support import host
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from webops_fakes import FailingApply, ServerLike
from workspace_repo import Sandbox
from workspace_support import WorkspaceStore, close_store

from faststore_desktop.core.entries import EntryType
from faststore_desktop.core.workspace.trash import FreedesktopTrash
from faststore_desktop.settings import Settings
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.dialogs.workspace_value import SupplyValueDialog
from faststore_desktop.ui.views.local_dev import LocalDevView
from faststore_desktop.ui.views.migration import MigrationView
from faststore_desktop.ui.widgets.workspace_migration_table import MigrationColumn
from faststore_desktop.webops.local.service import LocalWebOps
from faststore_desktop.webops.models import Store, StoreConfig

TOKEN = "rv_live_0123456789abcdef"
SUPPLIED = "pay-secret-typed-by-hand"
REVEALED = {"account": "storeframework", "REVIEWS_API_TOKEN": TOKEN}
HIDDEN = {
    "account": "ENC[AES256_GCM,data:c2hvcA==,iv:aXY=,tag:dGFn,type:str]",
    "REVIEWS_API_TOKEN": "ENC[AES256_GCM,data:eHl6,iv:aXY=,tag:dGFn,type:str]",
    "PAYMENT_SECRET": "ENC[AES256_GCM,data:cGF5,iv:aXY=,tag:dGFn,type:str]",
    "sops": {"lastmodified": "2023-05-02T10:00:00Z", "mac": "ENC[AES256_GCM,data:bWFj]"},
}
LEGACY = ("secrets.revealed.json", "secrets.hidden.json")


class Setup(WorkspaceStore):
    """The store with legacy files, and a trash of its own."""

    def __init__(self, webops: LocalWebOps, store: Store, folder: Path, trash: Path) -> None:
        super().__init__(webops, store, folder)
        self.trash = FreedesktopTrash(trash)


@pytest_asyncio.fixture
async def setup(tmp_path: Path) -> AsyncIterator[Setup]:
    folder = tmp_path / "store"
    box = Sandbox(folder)
    box.write("package.json", "{}\n")
    box.write("vtex.env", "VTEX_ACCOUNT=storeframework\n")
    box.write("secrets.revealed.json", json.dumps(REVEALED, indent=2))
    box.write("secrets.hidden.json", json.dumps(HIDDEN, indent=2))
    box.commit("Store with legacy secrets", "package.json", *LEGACY)
    webops = await LocalWebOps.open(tmp_path / "data", secrets.token_bytes(32), actor="ana")
    store = await webops.create_store(StoreConfig(name="Storeframework", folder=str(folder)))
    opened = Setup(webops, store, folder, tmp_path / "trash-home")
    yield opened
    await close_store(opened)


def cell(view: MigrationView, row: int, column: MigrationColumn) -> str:
    return str(view.model.index(row, column).data())


def row_of(view: MigrationView, key: str) -> int:
    return next(
        r for r in range(view.model.rowCount()) if cell(view, r, MigrationColumn.KEY) == key
    )


async def supply(view: MigrationView, key: str, value: str) -> None:
    view.table.selectRow(row_of(view, key))
    assert view.value_button.isEnabled()
    view.value_button.click()
    await wait_until(lambda: view.findChild(SupplyValueDialog) is not None, what="the dialog")
    dialog = view.findChild(SupplyValueDialog)
    assert dialog is not None
    dialog.value.setText(value)
    dialog.accept()
    await wait_until(
        lambda: "needs a value" not in cell(view, row_of(view, key), MigrationColumn.VALUE)
    )


async def open_view(qtbot: QtBot, setup: Setup) -> tuple[MigrationView, object]:
    view = MigrationView(setup.context, trash=setup.trash)
    window = host(view)
    qtbot.addWidget(window)
    setup.show()
    await wait_until(lambda: view.model.rowCount() == 3, what="the keys of both files")
    return view, window


@pytest.mark.asyncio
async def test_import_verify_and_remove(qtbot: QtBot, setup: Setup) -> None:
    view, _window = await open_view(qtbot, setup)
    assert "Both files are here" in view.explanation.text()
    assert cell(view, row_of(view, "PAYMENT_SECRET"), MigrationColumn.VALUE) == "needs a value"
    assert cell(view, row_of(view, "REVIEWS_API_TOKEN"), MigrationColumn.SOURCE) == "both files"
    assert not view.import_button.isEnabled()
    assert "PAYMENT_SECRET" in view.import_button.toolTip()
    assert not view.remove_button.isEnabled()

    # The account is not a secret: the user unticks it.
    account = view.model.index(row_of(view, "account"), MigrationColumn.SECRET)
    assert view.model.setData(
        account, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole
    )
    await supply(view, "PAYMENT_SECRET", SUPPLIED)
    assert view.import_button.isEnabled() and view.import_button.text() == "Import 3 keys"
    shown = [cell(view, r, c) for r in range(3) for c in MigrationColumn]
    assert TOKEN not in str(shown) and SUPPLIED not in str(shown)

    view.import_button.click()
    await wait_until(view.remove_button.isEnabled, what="the verification")
    assert "Verified: all 3 keys" in view.status.text()
    entries = {e.key: e for e in await setup.webops.list_entries(setup.store.id)}
    assert (
        entries["account"].type is EntryType.TEXT and entries["account"].value == "storeframework"
    )
    assert entries["PAYMENT_SECRET"].is_secret

    view.remove_button.click()
    await wait_until(lambda: view.findChild(QMessageBox) is not None, what="the confirmation")
    box = view.findChild(QMessageBox)
    assert box is not None
    [move] = [b for b in box.buttons() if b.text() == "Move to trash"]
    move.click()
    await wait_until(lambda: not (setup.folder / LEGACY[0]).exists(), what="the removal")
    assert not (setup.folder / LEGACY[1]).exists()
    assert (setup.folder / "vtex.env").exists()
    await wait_until(lambda: "nothing to migrate" in view.explanation.text())
    assert "Commit their removal" in view.status.text()
    # Nothing left to list or to offer: no empty table, no buttons, no empty hint line.
    assert not view.table.isVisible() and not view.import_button.isVisible()
    assert not view.hint.isVisible() and view.status.isVisible()
    status = Sandbox(setup.folder).git("status", "--porcelain")
    assert "D  secrets.revealed.json" in status and "D  secrets.hidden.json" in status


@pytest.mark.asyncio
async def test_a_failed_import_removes_nothing_and_says_why(qtbot: QtBot, setup: Setup) -> None:
    view = MigrationView(setup.context, trash=setup.trash)
    window = host(view)
    qtbot.addWidget(window)
    setup.show(FailingApply(setup.webops))
    await wait_until(lambda: view.model.rowCount() == 3)
    await supply(view, "PAYMENT_SECRET", SUPPLIED)
    await view.run_import()
    assert "Nothing was imported: The service could not be reached" in view.status.text()
    assert not view.remove_button.isEnabled()
    assert all((setup.folder / name).exists() for name in LEGACY)
    assert await setup.webops.list_entries(setup.store.id) == []


@pytest.mark.asyncio
async def test_a_second_run_only_verifies(qtbot: QtBot, setup: Setup) -> None:
    view, _window = await open_view(qtbot, setup)
    await supply(view, "PAYMENT_SECRET", SUPPLIED)
    await view.run_import()
    assert view.remove_button.isEnabled()
    audit = await setup.webops.audit_trail(setup.store.id)
    view.refresh()
    await wait_until(lambda: view.import_button.text() == "Verify", what="the second scan")
    await wait_until(view.remove_button.isEnabled, what="the automatic verification")
    assert all(cell(view, r, MigrationColumn.VALUE) == "already in WebOps (kept)" for r in range(3))
    assert await setup.webops.audit_trail(setup.store.id) == audit


@pytest.mark.asyncio
async def test_broken_files_are_explained_with_their_place(qtbot: QtBot, setup: Setup) -> None:
    (setup.folder / "secrets.revealed.json").write_text('{\n  "account": "shop"\n  "X": "y"\n}')
    view = MigrationView(setup.context, trash=setup.trash)
    window = host(view)
    qtbot.addWidget(window)
    setup.show()
    await wait_until(lambda: bool(view.lints.texts()), what="the findings")
    assert any("line 3, column 3" in text for text in view.lints.texts())
    assert "cannot be read" in view.explanation.text()
    assert not view.import_button.isEnabled()


@pytest.mark.asyncio
async def test_a_server_store_uses_the_folder_chosen_on_this_computer(
    qtbot: QtBot, setup: Setup, tmp_path: Path
) -> None:
    """The folder chosen in Local development is the one Migration scans, for a server's store
    too; it is remembered here, and the server's store settings are not asked to change."""
    server = ServerLike(setup.webops)
    store = await setup.webops.create_store(
        StoreConfig(name="Team store", folder=str(tmp_path / "server" / "builds"))
    )
    url = "https://webops.example.com"
    settings_file = tmp_path / "settings.ini"
    context = StoreContext(Settings(settings_file))
    errors: list[str] = []
    context.toast.connect(lambda text, kind: errors.append(text) if kind == "error" else None)
    view = MigrationView(context, trash=setup.trash)
    local = LocalDevView(context)
    windows = [host(view), host(local)]  # kept: a window collected takes its view along
    for window in windows:
        qtbot.addWidget(window)
    context.set_store(server, store, "Team server", url)  # type: ignore[arg-type]
    await wait_until(lambda: "Local development first" in view.explanation.text())
    assert view.folder_label.text() == "No code folder chosen for this store"

    await local.set_folder(setup.folder)
    await wait_until(lambda: view.model.rowCount() == 3, what="the legacy keys of the checkout")
    assert view.folder_label.text() == str(setup.folder)
    assert server.configure_calls == 0 and errors == []
    assert (await setup.webops.get_store(store.id)).config.folder == str(
        tmp_path / "server" / "builds"
    )

    again = StoreContext(Settings(settings_file))  # the next start of the app
    second = MigrationView(again, trash=setup.trash)
    windows.append(host(second))
    qtbot.addWidget(windows[-1])
    again.set_store(server, store, "Team server", url)  # type: ignore[arg-type]
    await wait_until(lambda: second.model.rowCount() == 3, what="the remembered checkout")
    assert second.folder_label.text() == str(setup.folder)
    for each in (context, again):
        each.clear()
