"""The GUI thread never blocks on I/O: every read, write, stat, git command and keyring call the
views and the composition root make on the user's folders, the app's data and the keyring runs
in a worker thread, so a hung network drive or keyring leaves the window responsive.

Each test wraps the blocking functions a flow reaches and records the thread that called them;
a call made on the GUI thread (the qasync loop's, the main thread) fails the test, and so does a
wrapped function the flow no longer reaches (the flow, not the rule, would have changed).
"""

from __future__ import annotations

import asyncio
import getpass
import json
import secrets
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from async_support import wait_until
from deploys_support import host
from keyring_fakes import MemoryKeyring
from PySide6.QtCore import QTimer, QUrl
from pytestqt.qtbot import QtBot
from workspace_repo import Sandbox, realistic_store
from workspace_support import WorkspaceStore, close_store, open_store

from faststore_desktop import paths
from faststore_desktop.backends import Backends
from faststore_desktop.core import migration
from faststore_desktop.core.workspace import codescan, envfile, hygiene, repoleaks
from faststore_desktop.core.workspace.codescan import CodeFinding
from faststore_desktop.core.workspace.git import GitRepo
from faststore_desktop.core.workspace.hygiene import HygieneFinding
from faststore_desktop.core.workspace.trash import FreedesktopTrash
from faststore_desktop.ui.views import local_dev
from faststore_desktop.ui.views import migration as migration_view
from faststore_desktop.ui.views.local_dev import LocalDevView
from faststore_desktop.ui.views.migration import MigrationView
from faststore_desktop.ui.widgets.file_actions import FileLocation
from faststore_desktop.ui.widgets.workspace_rows import RowRole
from faststore_desktop.webops import keychain
from faststore_desktop.webops.local import datakey, sample


class Threads:
    """Which thread ran each watched call: True for the GUI thread."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._monkeypatch = monkeypatch
        self.calls: dict[str, list[bool]] = {}

    def watch(self, owner: object, name: str, *, when: Callable[..., bool] | None = None) -> None:
        """Record the calls of `owner.name` (those `when` accepts, given the call's arguments)."""
        original = getattr(owner, name)
        owner_name = getattr(owner, "__name__", type(owner).__name__)
        label = f"{owner_name.rsplit('.', 1)[-1]}.{name}"

        def watched(*args: Any, **kwargs: Any) -> Any:
            if when is None or when(*args, **kwargs):
                on_gui = threading.current_thread() is threading.main_thread()
                self.calls.setdefault(label, []).append(on_gui)
            return original(*args, **kwargs)

        self._monkeypatch.setattr(owner, name, watched)

    def assert_off_gui_thread(self) -> None:
        assert threading.current_thread() is threading.main_thread()  # the loop runs here
        on_gui = sorted(label for label, calls in self.calls.items() if any(calls))
        assert on_gui == [], f"blocking calls on the GUI thread: {on_gui}"

    def assert_called(self, *labels: str) -> None:
        missing = sorted(set(labels) - set(self.calls))
        assert missing == [], f"not reached by the flow: {missing}"


@pytest.fixture
def threads(monkeypatch: pytest.MonkeyPatch) -> Threads:
    return Threads(monkeypatch)


# -- Local development ---------------------------------------------------------------------------


@pytest_asyncio.fixture
async def store(tmp_path: Path) -> AsyncIterator[WorkspaceStore]:
    realistic_store(tmp_path / "store")
    opened = await open_store(tmp_path, tmp_path / "store")
    yield opened
    await close_store(opened)


@pytest.mark.asyncio
async def test_local_development_reads_writes_and_runs_git_in_worker_threads(
    qtbot: QtBot, store: WorkspaceStore, threads: Threads, opened_urls: list[QUrl]
) -> None:
    folder = store.folder
    for owner, name in (
        (envfile, "read_env_file"),
        (envfile, "write_env_file"),
        (envfile, "has_changed"),
        (GitRepo, "open"),
        (hygiene, "check_repository"),
        (hygiene, "apply_fix"),
        (codescan, "check_folder"),
        (repoleaks, "scan_repository"),
        (local_dev, "read_revealed"),
        (paths, "data_dir"),
    ):
        threads.watch(owner, name)
    threads.watch(Path, "exists", when=lambda path: folder in path.parents)

    view = LocalDevView(store.context)
    window = host(view)
    qtbot.addWidget(window)
    store.show()
    editor = view.editor
    await wait_until(lambda: editor.model.rowCount() == 3, what="vtex.env")
    await wait_until(lambda: view.checks.model.rowCount() > 0, what="the git checks")

    assert editor.model.set_value("EXTRA_FLAG", "on")
    assert await editor.write()
    (folder / "vtex.env").write_text("VTEX_ACCOUNT=changed-elsewhere\n")
    await wait_until(editor.banner.isVisible, what="the change by another program")

    for row in range(view.checks.model.rowCount()):
        finding = view.checks.model.index(row, 0).data(RowRole.PAYLOAD)
        if isinstance(finding, HygieneFinding) and finding.code == "env-not-ignored":
            view.checks.table.selectRow(row)
    await view.fix_selected()

    await view.run_code_check()
    await view.run_leak_scan()
    model = view.code.model
    findings = [model.index(r, 0).data(RowRole.PAYLOAD) for r in range(model.rowCount())]
    use = next(f for f in findings if isinstance(f, CodeFinding) and f.uses).uses[0]
    view.code_files.open_file(FileLocation(folder / use.file, use.line))
    await wait_until(lambda: len(opened_urls) == 1, what="the file opened")

    threads.assert_called(
        "envfile.read_env_file",
        "envfile.write_env_file",
        "envfile.has_changed",
        "GitRepo.open",
        "hygiene.check_repository",
        "hygiene.apply_fix",
        "codescan.check_folder",
        "repoleaks.scan_repository",
        "local_dev.read_revealed",
        "paths.data_dir",
        "Path.exists",
    )
    threads.assert_off_gui_thread()


@pytest.mark.asyncio
async def test_a_vanished_file_is_reported_without_a_stat_on_the_gui_thread(
    qtbot: QtBot, store: WorkspaceStore, threads: Threads, opened_urls: list[QUrl]
) -> None:
    gone = store.folder / "src" / "removed.tsx"
    threads.watch(Path, "exists", when=lambda path: path == gone)
    view = LocalDevView(store.context)
    window = host(view)
    qtbot.addWidget(window)
    errors: list[str] = []
    store.context.toast.connect(lambda text, kind: errors.append(text) if kind == "error" else None)
    assert not await view.code_files.open_path(gone)
    assert errors == [f"{gone} no longer exists."] and opened_urls == []
    threads.assert_called("Path.exists")
    threads.assert_off_gui_thread()


# -- Migration -----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_migration_scans_and_trashes_in_worker_threads(
    qtbot: QtBot, tmp_path: Path, threads: Threads, monkeypatch: pytest.MonkeyPatch
) -> None:
    box = Sandbox(tmp_path / "store")
    box.write("secrets.revealed.json", json.dumps({"account": "storeframework", "TOKEN": "t0k"}))
    box.commit("Legacy secrets", "secrets.revealed.json")
    opened = await open_store(tmp_path, box.folder)
    try:
        trash = FreedesktopTrash(tmp_path / "trash-home")
        threads.watch(migration, "scan_folder")
        threads.watch(migration, "remove_legacy_files")
        threads.watch(trash, "move")

        async def agree(*_args: object, **_kwargs: object) -> bool:
            return True  # the confirmation, answered as the user would

        monkeypatch.setattr(migration_view, "confirm", agree)
        view = MigrationView(opened.context, trash=trash)
        window = host(view)
        qtbot.addWidget(window)
        opened.show()
        await wait_until(lambda: view.model.rowCount() == 2, what="the legacy keys")
        await view.run_import()
        assert view.remove_button.isEnabled()
        await view.remove_files()
        assert not (box.folder / "secrets.revealed.json").exists()
    finally:
        await close_store(opened)
    threads.assert_called(
        "migration.scan_folder", "migration.remove_legacy_files", "FreedesktopTrash.move"
    )
    threads.assert_off_gui_thread()


# -- the composition root: keyring, data key, data folder ------------------------------------------


@pytest.mark.asyncio
async def test_opening_backends_keeps_keyring_and_disk_off_the_gui_thread(
    tmp_path: Path, threads: Threads, memory_keyring: MemoryKeyring
) -> None:
    for name in ("get_password", "set_password", "delete_password"):
        threads.watch(memory_keyring, name)
    threads.watch(datakey, "open_data_key")
    threads.watch(keychain, "backend_name")
    threads.watch(getpass, "getuser")
    threads.watch(sample, "install_sample_store")

    backends = Backends(tmp_path / "data")
    opened = await backends.open_local()
    assert opened is not None
    webops = opened.webops
    try:
        [first] = await webops.list_stores()
        assert first.config.name == sample.SAMPLE_NAME
    finally:
        await webops.close()

    url = "https://webops.example.com"
    await backends.save_token(url, secrets.token_urlsafe(16))
    server = await backends.open_server(url)
    await server.webops.close()
    await backends.forget_token(url)

    threads.assert_called(
        "MemoryKeyring.get_password",
        "MemoryKeyring.set_password",
        "MemoryKeyring.delete_password",
        "datakey.open_data_key",
        "keychain.backend_name",
        "getpass.getuser",
        "sample.install_sample_store",
    )
    threads.assert_off_gui_thread()


@pytest.mark.asyncio
async def test_a_slow_disk_leaves_the_gui_thread_beating(
    qtbot: QtBot, store: WorkspaceStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file check before opening a result's file hangs for a while (a network drive): Qt's
    timers keep firing meanwhile, so the window still paints and takes input."""
    original = Path.exists

    def slow_exists(path: Path) -> bool:
        if path.name == "slow.tsx":
            threading.Event().wait(0.6)
        return original(path)

    monkeypatch.setattr(Path, "exists", slow_exists)
    view = LocalDevView(store.context)
    window = host(view)
    qtbot.addWidget(window)
    beats: list[float] = []
    loop = asyncio.get_running_loop()
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: beats.append(loop.time()))
    timer.start()
    try:
        await asyncio.sleep(0.1)
        started = loop.time()
        await view.code_files.open_path(store.folder / "slow.tsx")
        ended = loop.time()
    finally:
        timer.stop()
    assert ended - started >= 0.6
    during = [beat for beat in beats if started <= beat <= ended]
    gaps = [b - a for a, b in zip([started, *during], [*during, ended], strict=True)]
    assert len(during) >= 10 and max(gaps) < 0.3, gaps
