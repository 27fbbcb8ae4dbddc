"""The Local development view on a real git store folder against the embedded WebOps, and
against a WebOps API server (whose store settings the view leaves alone)."""

from __future__ import annotations

import asyncio
import os
import stat
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from async_support import failing_on_background_errors, wait_pending, wait_until
from deploys_support import host
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot
from webops_fakes import FailingListEntries
from workspace_repo import (
    APP_KEY,
    ENDLESS_HISTORY,
    REVIEWS_TOKEN,
    install_git_shim,
    process_alive,
    realistic_store,
    written_pid,
)
from workspace_support import WorkspaceStore, close_store, open_store

from faststore_desktop.core.dotenv import parse_dotenv
from faststore_desktop.core.workspace.codescan import CodeFinding, CodeIssue
from faststore_desktop.core.workspace.hygiene import HygieneFinding
from faststore_desktop.settings import Settings
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.dialogs.workspace_pull import PullDialog
from faststore_desktop.ui.models.dotenv_table import DotenvColumn
from faststore_desktop.ui.views.local_dev import LocalDevView
from faststore_desktop.ui.widgets import workspace_env_editor
from faststore_desktop.ui.widgets.workspace_rows import RowRole, RowsModel
from faststore_desktop.webops.errors import PermissionDeniedError, WebOpsError
from faststore_desktop.webops.keychain import KeychainUnavailableError
from faststore_desktop.webops.models import StoreConfig
from tests.contract.served_http import served_http_webops


@pytest_asyncio.fixture
async def setup(tmp_path: Path) -> AsyncIterator[WorkspaceStore]:
    realistic_store(tmp_path / "store")
    opened = await open_store(tmp_path, tmp_path / "store")
    yield opened
    await close_store(opened)


def open_view(
    qtbot: QtBot, opened: WorkspaceStore, webops: object = None
) -> tuple[LocalDevView, QMainWindow]:
    """The view in a shown window (keep it: closing the last window ends the test's loop),
    on the store: its first inspection starts."""
    view = LocalDevView(opened.context)
    window = host(view)
    qtbot.addWidget(window)
    opened.show(webops)
    return view, window


def toasts(context: StoreContext) -> list[tuple[str, str]]:
    """The (text, kind) notices the context gives from now on."""
    shown: list[tuple[str, str]] = []
    context.toast.connect(lambda text, kind: shown.append((text, kind)))
    return shown


def texts(model: RowsModel) -> list[list[str]]:
    return [
        [str(model.index(r, c).data()) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def payloads(model: RowsModel) -> list[object]:
    return [model.index(r, 0).data(RowRole.PAYLOAD) for r in range(model.rowCount())]


def select_row(view: LocalDevView, predicate: object) -> None:
    for row, payload in enumerate(payloads(view.checks.model)):
        if predicate(payload):  # type: ignore[operator]
            view.checks.table.selectRow(row)
            return
    raise AssertionError("no such row")


@pytest.mark.asyncio
async def test_checks_and_their_fixes(qtbot: QtBot, setup: WorkspaceStore) -> None:
    view, _window = open_view(qtbot, setup)
    await wait_until(
        lambda: any(isinstance(p, HygieneFinding) for p in payloads(view.checks.model)),
        what="the git checks",
    )
    findings = {
        (p.code, p.path) for p in payloads(view.checks.model) if isinstance(p, HygieneFinding)
    }
    assert findings == {
        ("env-not-ignored", "vtex.env"),
        ("tracked", "secrets.revealed.json"),
        ("in-history", "vtex.env"),
        ("in-history", "secrets.revealed.json"),
    }
    shown = texts(view.checks.model)
    assert any(row[0] == "FS_DISCOVERY_APP_TOKEN" and "WebOps" in row[1] for row in shown)
    assert "Git repository" in view.git_label.text()

    select_row(view, lambda p: isinstance(p, HygieneFinding) and p.code == "env-not-ignored")
    assert view.checks.button.isEnabled()
    view.checks.button.click()
    await wait_until(
        lambda: "/vtex.env" in (setup.folder / ".gitignore").read_text(), what="the fix"
    )
    # The fix redraws the checks once done: selecting before that would select a row it drops.
    await wait_until(
        lambda: (
            not any(
                isinstance(p, HygieneFinding) and p.code == "env-not-ignored"
                for p in payloads(view.checks.model)
            )
        ),
        what="the checks after the first fix",
    )
    select_row(view, lambda p: isinstance(p, HygieneFinding) and p.code == "tracked")
    view.checks.button.click()
    await wait_until(
        lambda: (
            not any(
                isinstance(p, HygieneFinding) and p.code in ("tracked", "env-not-ignored")
                for p in payloads(view.checks.model)
            )
        ),
        what="the checks after both fixes",
    )
    assert (setup.folder / "secrets.revealed.json").exists()
    select_row(view, lambda p: isinstance(p, HygieneFinding) and p.code == "in-history")
    assert not view.checks.button.isEnabled()  # history cannot be fixed from here


@pytest.mark.asyncio
async def test_editing_saving_and_an_external_change(qtbot: QtBot, setup: WorkspaceStore) -> None:
    view, _window = open_view(qtbot, setup)
    editor = view.editor
    await wait_until(lambda: editor.model.rowCount() == 3, what="vtex.env")
    row = editor.model.rowCount() - 1
    assert editor.model.key_at(row) == "REVIEWS_API_TOKEN"
    assert REVIEWS_TOKEN not in str(editor.model.index(row, DotenvColumn.VALUE).data())

    assert editor.model.setData(editor.model.index(row, DotenvColumn.VALUE), "rv_new value #1")
    assert parse_dotenv(editor.raw.toPlainText()).values()["REVIEWS_API_TOKEN"] == "rv_new value #1"
    assert editor.save_button.isEnabled()
    assert await editor.write()
    path = setup.folder / "vtex.env"
    text = path.read_text()
    assert text.startswith("# Local development of storeframework\n")
    assert parse_dotenv(text).values()["REVIEWS_API_TOKEN"] == "rv_new value #1"
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600

    editor.raw.setPlainText(text + "EXTRA_FLAG=on\n")
    await wait_until(lambda: "EXTRA_FLAG" in editor.values(), what="the raw text parsed")
    assert editor.model.rowCount() == 4

    path.write_text("VTEX_ACCOUNT=changed-elsewhere\n")
    await wait_until(editor.banner.isVisible, what="the external change banner")
    assert "unsaved" in editor.banner_text.text()
    assert not await editor.write()  # refused: the disk changed
    assert path.read_text() == "VTEX_ACCOUNT=changed-elsewhere\n"
    editor.reload()
    await wait_until(lambda: editor.values() == {"VTEX_ACCOUNT": "changed-elsewhere"})
    assert not editor.banner.isVisible()


@pytest.mark.asyncio
async def test_pull_shows_a_diff_then_writes(qtbot: QtBot, setup: WorkspaceStore) -> None:
    view, _window = open_view(qtbot, setup)
    await wait_until(lambda: view.editor.model.rowCount() == 3, what="vtex.env")
    task = asyncio.ensure_future(view.pull())
    await wait_until(lambda: view.findChild(PullDialog) is not None, what="the pull dialog")
    dialog = view.findChild(PullDialog)
    assert dialog is not None
    rows = texts(dialog.model)
    assert ["NEXT_PUBLIC_STORE_URL", "add"] in [row[:2] for row in rows]
    assert all(REVIEWS_TOKEN not in cell for row in rows for cell in row)
    assert "FS_DISCOVERY_APP_TOKEN" not in str(rows)  # not in WebOps: nothing to fill
    dialog.accept()
    await task
    text = (setup.folder / "vtex.env").read_text()
    assert "NEXT_PUBLIC_STORE_URL=https://storeframework.vtex.app\n" in text
    assert f"REVIEWS_API_TOKEN={REVIEWS_TOKEN}\n" in text  # a secret is never overwritten


@pytest.mark.asyncio
async def test_compare_code_check_and_leak_scan(qtbot: QtBot, setup: WorkspaceStore) -> None:
    view, _window = open_view(qtbot, setup)
    await wait_until(lambda: view.compare.model.rowCount() > 0, what="the compare")
    compare = {row[0]: row for row in texts(view.compare.model)}
    assert compare["NEXT_PUBLIC_STORE_URL"][1] == "missing"
    assert "missing from vtex.env" in compare["NEXT_PUBLIC_STORE_URL"][4]
    assert compare["FS_DISCOVERY_APP_KEY"][2] == "secret v1"

    await view.run_code_check()
    issues = {(p.issue, p.key) for p in payloads(view.code.model) if isinstance(p, CodeFinding)}
    assert (CodeIssue.NOT_PUBLIC_IN_BROWSER, "REVIEWS_API_TOKEN") in issues
    assert (CodeIssue.UNDEFINED, "CMS_PREVIEW_SECRET") in issues

    await view.run_leak_scan()
    leaks = texts(view.leaks.model)
    assert any(
        row[0] == "FS_DISCOVERY_APP_KEY" and row[1] == "secrets.revealed.json:3" for row in leaks
    )
    assert any(
        row[0] == "REVIEWS_API_TOKEN" and row[1] == "vtex.env:4" and "Add local env" in row[2]
        for row in leaks
    )
    everything = str(leaks) + view.leaks.summary.text()
    assert REVIEWS_TOKEN not in everything and APP_KEY not in everything


@pytest.mark.asyncio
async def test_outside_git_the_view_says_so_and_still_edits(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "plain-store"
    folder.mkdir()
    (folder / "vtex.env").write_text("VTEX_ACCOUNT=shop\n")
    opened = await open_store(tmp_path, folder)
    try:
        view, _window = open_view(qtbot, opened)
        await wait_until(lambda: "not inside a git repository" in view.git_label.text())
        assert not view.leaks.button.isEnabled()
        view.editor.model.set_value("NEW_KEY", "value")
        assert await view.editor.write()
        assert (folder / "vtex.env").read_text() == "VTEX_ACCOUNT=shop\nNEW_KEY=value\n"
    finally:
        await close_store(opened)


@pytest.mark.parametrize(
    "error",
    [
        KeychainUnavailableError("The keyring is locked: unlock it, then try again."),
        PermissionDeniedError("The token 'ana' may not read this store."),
    ],
    ids=["keychain", "permission"],
)
@pytest.mark.asyncio
async def test_a_failed_check_after_a_fix_says_why(
    qtbot: QtBot, setup: WorkspaceStore, error: WebOpsError
) -> None:
    webops = FailingListEntries(setup.webops)
    with failing_on_background_errors():  # no "Something went wrong" box
        view, _window = open_view(qtbot, setup, webops)
        await wait_until(
            lambda: any(isinstance(p, HygieneFinding) for p in payloads(view.checks.model)),
            what="the git checks",
        )
        shown = toasts(setup.context)
        webops.error = error
        select_row(view, lambda p: isinstance(p, HygieneFinding) and p.code == "env-not-ignored")
        await view.fix_selected()
    assert "/vtex.env" in (setup.folder / ".gitignore").read_text()
    assert ("vtex.env added to .gitignore", "success") in shown
    assert (f"Could not check again: {error.message}", "error") in shown


@pytest.mark.asyncio
async def test_the_chosen_folder_is_remembered_by_the_store(
    qtbot: QtBot, setup: WorkspaceStore, tmp_path: Path
) -> None:
    other = tmp_path / "other-store"
    other.mkdir()
    (other / "vtex.env").write_text("A_KEY=1\n")
    view, _window = open_view(qtbot, setup)
    await wait_until(lambda: view.editor.model.rowCount() == 3, what="the first folder")
    await view.set_folder(other)
    await wait_until(lambda: view.editor.values() == {"A_KEY": "1"}, what="the new folder")
    assert view.folder_label.text() == str(other)
    stored = await setup.webops.get_store(setup.store.id)
    assert stored.config.folder == str(other)
    assert setup.context.store is not None and setup.context.store.config.folder == str(other)


@pytest.mark.asyncio
async def test_a_server_store_folder_is_remembered_here_not_on_the_server(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """On a WebOps API server, a store's folder is the one the server builds from, on its own
    computer; the user's checkout is remembered in this app's settings instead, and the store's
    settings are never changed (the admin token would even allow it)."""
    checkout = tmp_path / "checkout"
    realistic_store(checkout)
    settings_file = tmp_path / "settings.ini"
    with failing_on_background_errors():
        webops = served_http_webops(tmp_path / "server-data", "ana")
        try:
            build_folder = str(tmp_path / "server" / "builds" / "storeframework")
            store = await webops.create_store(
                StoreConfig(name="Storeframework", folder=build_folder)
            )
            server_id = webops.server.base_url  # a server connection's id is its URL

            context = StoreContext(Settings(settings_file))
            shown = toasts(context)
            view = LocalDevView(context)
            window = host(view)
            qtbot.addWidget(window)
            context.set_store(webops, store, "Team server", server_id)
            assert view.folder_label.text() == "No code folder chosen for this store"
            assert view.choose_button.isEnabled() and not view.compare.button.isEnabled()
            assert view.editor.path is None

            await view.set_folder(checkout)
            await wait_until(lambda: view.editor.model.rowCount() == 3, what="the checkout")
            assert view.folder_label.text() == str(checkout)
            await wait_until(lambda: view.compare.model.rowCount() > 0, what="the compare")
            assert (await webops.get_store(store.id)).config.folder == build_folder
            assert context.store is store  # the store itself did not change
            assert not [text for text, kind in shown if kind == "error"]

            # A new start of the app: new settings, context and view; the same checkout.
            again = StoreContext(Settings(settings_file))
            second = LocalDevView(again)
            window2 = host(second)
            qtbot.addWidget(window2)
            again.set_store(webops, store, "Team server", server_id)
            await wait_until(lambda: second.editor.model.rowCount() == 3, what="the checkout")
            assert second.folder_label.text() == str(checkout)
            assert str(checkout) in settings_file.read_text()
            assert (await webops.get_store(store.id)).config.folder == build_folder

            assert second.git_label.isVisible()
            # Another connection with a store of the same id has no folder yet, nor repository.
            again.set_store(webops, store, "Another server", "https://other.example.com")
            assert second.folder_label.text() == "No code folder chosen for this store"
            await wait_pending()
            assert second.git_label.text() == "" and not second.git_label.isVisible()
            for each in (context, again):
                each.clear()
            await wait_pending()
        finally:
            await webops.close()


@pytest.mark.asyncio
async def test_shown_values_are_masked_again(
    qtbot: QtBot, setup: WorkspaceStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workspace_env_editor, "REVEAL_MS", 100)
    view, _window = open_view(qtbot, setup)
    editor = view.editor
    await wait_until(lambda: editor.model.rowCount() == 3, what="vtex.env")
    token = editor.model.index(2, DotenvColumn.VALUE)
    editor.show_values.setChecked(True)
    assert token.data() == REVIEWS_TOKEN
    await wait_until(lambda: not editor.show_values.isChecked(), what="the values masked again")
    assert REVIEWS_TOKEN not in token.data()


def code_row(view: LocalDevView, issue: CodeIssue, key: str) -> int:
    return next(
        row
        for row, p in enumerate(payloads(view.code.model))
        if isinstance(p, CodeFinding) and (p.issue, p.key) == (issue, key)
    )


def menu_action(view: LocalDevView, text: str) -> QAction:
    return next(a for a in view.code.table.actions() if a.text() == text)


@pytest.mark.asyncio
async def test_a_code_finding_opens_its_file(
    qtbot: QtBot, setup: WorkspaceStore, opened_urls: list[QUrl]
) -> None:
    view, _window = open_view(qtbot, setup)
    view.tabs.setCurrentWidget(view.code)
    await wait_until(view.code.button.isEnabled, what="the folder")
    await view.run_code_check()
    table = view.code.table
    row = code_row(view, CodeIssue.UNDEFINED, "CMS_PREVIEW_SECRET")
    finding = payloads(view.code.model)[row]
    assert isinstance(finding, CodeFinding)
    use = finding.uses[0]
    file = setup.folder / use.file

    table.setFocus()
    table.selectRow(row)
    QTest.keyClick(table, Qt.Key.Key_Return)  # Enter activates the row
    # Opening asks the disk first, in a worker thread: the file opens a moment later.
    await wait_until(lambda: len(opened_urls) == 1, what="the file opened")
    assert opened_urls == [QUrl.fromLocalFile(str(file))]
    cell = table.visualRect(view.code.model.index(row, 2)).center()
    # A double-click as the window system sends it: a click, then the second press.
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    await wait_until(lambda: len(opened_urls) == 2, what="the file opened again")
    assert opened_urls[-1] == QUrl.fromLocalFile(str(file))

    menu_action(view, "Open file").trigger()
    await wait_until(lambda: len(opened_urls) == 3, what="Open file")
    menu_action(view, "Reveal in folder").trigger()
    await wait_until(lambda: len(opened_urls) == 4, what="Reveal in folder")
    assert opened_urls[-2:] == [QUrl.fromLocalFile(str(file)), QUrl.fromLocalFile(str(file.parent))]
    menu_action(view, "Copy location").trigger()
    assert QGuiApplication.clipboard().text() == f"{file}:{use.line}"

    table.clearSelection()
    assert not menu_action(view, "Open file").isEnabled()

    table.selectRow(row)
    file.unlink()
    errors: list[str] = []
    setup.context.toast.connect(lambda text, kind: errors.append(text) if kind == "error" else None)
    count = len(opened_urls)
    menu_action(view, "Open file").trigger()
    await wait_until(lambda: bool(errors), what="the failure")
    assert len(opened_urls) == count
    assert errors == [f"{file} no longer exists."]


@pytest.mark.skipif(os.name != "posix", reason="the git shim is a shell script")
@pytest.mark.asyncio
async def test_the_leak_scan_can_be_cancelled(
    qtbot: QtBot, setup: WorkspaceStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid_file = tmp_path / "history.pid"
    install_git_shim(tmp_path / "shim", monkeypatch, ENDLESS_HISTORY.format(pid=pid_file))
    view, _window = open_view(qtbot, setup)
    view.tabs.setCurrentWidget(view.leaks)
    button = view.leaks.button
    assert not button.isEnabled()  # until the folder is known to be in a repository
    await wait_until(button.isEnabled, what="the repository found")
    assert button.text() == "Scan repository"

    button.click()
    await wait_until(lambda: written_pid(pid_file) is not None, what="the history scan")
    history = written_pid(pid_file)
    assert history is not None
    assert button.text() == "Cancel" and button.isEnabled()
    assert "Searching" in view.leaks.summary.text()

    button.click()
    await wait_until(lambda: not view.leak_scan_running, within=5, what="the scan to stop")
    assert view.leaks.summary.text() == "Scan cancelled."
    assert button.text() == "Scan repository" and button.isEnabled()
    assert view.leaks.model.rowCount() == 0
    assert not process_alive(history)  # no git left behind

    pid_file.unlink()
    monkeypatch.setenv("PATH", os.environ["PATH"].split(os.pathsep, 1)[1])  # the real git
    button.click()  # the view is ready for a new scan, which finishes
    await wait_until(lambda: not view.leak_scan_running, what="the second scan")
    assert view.leaks.model.rowCount() > 0
