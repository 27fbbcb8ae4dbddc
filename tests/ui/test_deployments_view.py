"""The Deploys view driven as a user would, against the real embedded WebOps and sample store:
redeploy until Success, a failing build showing its log, rerun, cancel, filters and paging.
"""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import pytest
from async_support import wait_until
from deploys_support import Embedded, finish, host, unnamed_controls
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QToolButton
from pytestqt.qtbot import QtBot
from webops_fakes import LosesFirstAnswer

from faststore_desktop.core.entries import EntryType
from faststore_desktop.settings import LOCAL_CONNECTION_ID
from faststore_desktop.ui.models.deployments import DeploymentColumn, DeploymentsModel
from faststore_desktop.ui.models.snapshot import SnapshotColumn
from faststore_desktop.ui.store_watcher import StoreWatcher
from faststore_desktop.ui.views.deployments import DeploymentsView
from faststore_desktop.webops.errors import UnavailableError
from faststore_desktop.webops.local.runner import PYTHON
from faststore_desktop.webops.models import (
    BuildStep,
    DeploymentPage,
    DeploymentQuery,
    DeploymentStatus,
    SortOrder,
)


@dataclasses.dataclass
class Screen:
    view: DeploymentsView
    window: QMainWindow
    toasts: list[tuple[str, str]]


def open_view(qtbot: QtBot, embedded: Embedded) -> Screen:
    context = embedded.context
    view = DeploymentsView(context)
    watcher = StoreWatcher(context, view)  # the app's watcher: live events -> context signals
    assert watcher is not None
    window = host(view)
    qtbot.addWidget(window)
    toasts: list[tuple[str, str]] = []
    context.toast.connect(lambda text, kind: toasts.append((text, kind)))
    context.set_store(embedded.webops, embedded.store, "This computer", LOCAL_CONNECTION_ID)
    return Screen(view, window, toasts)


def status_of(view: DeploymentsView, row: int = 0) -> DeploymentStatus | None:
    if view.model.rowCount() <= row:
        return None
    value = view.model.data(view.model.index(row, 0), DeploymentsModel.StatusRole)
    assert value is None or isinstance(value, DeploymentStatus)
    return value


async def redeploy_and_wait(
    qtbot: QtBot, screen: Screen, expected: DeploymentStatus, count: int
) -> None:
    qtbot.mouseClick(screen.view.redeploy_button, Qt.MouseButton.LeftButton)
    await wait_until(
        lambda: screen.view.model.rowCount() == count and status_of(screen.view) is expected,
        what=f"deployment {count} to be {expected}",
    )


async def configure_build(embedded: Embedded, script: str, body: str) -> None:
    """Replace the sample's steps by one build script written into the store's folder."""
    folder = Path(embedded.store.config.folder)
    (folder / script).write_text(body, encoding="utf-8")
    config = dataclasses.replace(
        embedded.store.config,
        build_steps=(BuildStep("Build", (PYTHON, script)),),
    )
    embedded.store = await embedded.webops.configure_store(embedded.store.id, config)


@pytest.mark.asyncio
async def test_redeploy_until_success_shows_steps_log_and_the_keys_it_was_built_with(
    qtbot: QtBot, embedded: Embedded
) -> None:
    screen = open_view(qtbot, embedded)
    view = screen.view
    await wait_until(lambda: "No deployments" in view._more.text(), what="the empty list")

    await redeploy_and_wait(qtbot, screen, DeploymentStatus.SUCCESS, 1)
    assert ("Deployment created successfully", "success") in screen.toasts
    cell = view.model.index(0, DeploymentColumn.SOURCE)
    assert "· main" in view.model.data(cell)
    assert view.model.data(view.model.index(0, DeploymentColumn.ENVIRONMENT)) == "Production"

    details = view.details
    await wait_until(
        lambda: details.deployment is not None and details.deployment.status.finished,
        what="the details of the finished deployment",
    )
    steps = details.steps_model
    assert [steps.step(r).status for r in range(steps.rowCount())] == [
        DeploymentStatus.SUCCESS
    ] * steps.rowCount()
    await wait_until(lambda: "FastStore sample store" in details.log_view.text(), what="log")

    keys = details.snapshot_model
    names = [keys.data(keys.index(r, SnapshotColumn.KEY)) for r in range(keys.rowCount())]
    assert "FS_DISCOVERY_APP_KEY" in names and "VTEX_ACCOUNT" in names
    assert keys.new_count == keys.rowCount()  # the first deployment: every key is new

    await embedded.webops.create_entry(
        embedded.store.id, "NEXT_PUBLIC_BANNER", EntryType.TEXT, "Black Friday"
    )
    await redeploy_and_wait(qtbot, screen, DeploymentStatus.SUCCESS, 2)
    await wait_until(lambda: keys.rowCount() == len(names) + 1, what="the second snapshot")
    new = [
        keys.data(keys.index(r, SnapshotColumn.KEY))
        for r in range(keys.rowCount())
        if keys.data(keys.index(r, 0), keys.NewRole)
    ]
    assert new == ["NEXT_PUBLIC_BANNER"]
    assert "Keys (6, 1 new)" in details._tabs.tabText(1)
    await finish(embedded)


@pytest.mark.asyncio
async def test_a_failing_build_shows_why_and_its_log(qtbot: QtBot, embedded: Embedded) -> None:
    screen = open_view(qtbot, embedded)
    details = screen.view.details
    webops, store_id = embedded.webops, embedded.store.id
    key = await webops.get_entry(store_id, "FS_DISCOVERY_APP_KEY")
    await webops.delete_entry(store_id, key.key, expected_version=key.version)

    await redeploy_and_wait(qtbot, screen, DeploymentStatus.FAILED, 1)
    await wait_until(
        lambda: details.deployment is not None and details.deployment.status.finished,
        what="the failed deployment's details",
    )
    assert "Build" in details.findChild(type(details._error), "deploymentError").text()
    await wait_until(
        lambda: "FS_DISCOVERY_APP_KEY is not set" in details.log_view.text(),
        what="the build's error in the log",
    )
    assert details.follower.target is not None and details.follower.target[2] == "Build"
    rerun = details.findChild(type(details._rerun), "rerunDeployment")
    assert rerun.isEnabled() and not details._cancel.isEnabled()
    await finish(embedded)


@pytest.mark.asyncio
async def test_a_rerun_whose_answer_was_lost_is_sent_again_with_its_key_and_runs_once(
    qtbot: QtBot, embedded: Embedded
) -> None:
    screen = open_view(qtbot, embedded)
    view, details = screen.view, screen.view.details
    await redeploy_and_wait(qtbot, screen, DeploymentStatus.SUCCESS, 1)
    first = view.model.deployment(0).id
    lossy = LosesFirstAnswer(embedded.webops, "rerun_deployment")
    embedded.context.set_store(lossy, embedded.store, "This computer", LOCAL_CONNECTION_ID)  # type: ignore[arg-type]
    await wait_until(lambda: view.model.rowCount() == 1, what="the list, read again")
    view.select_deployment(first)
    await wait_until(
        lambda: details.deployment is not None and details.deployment.id == first,
        what="the deployment, selected",
    )

    screen.toasts.clear()
    qtbot.mouseClick(details._rerun, Qt.MouseButton.LeftButton)
    await wait_until(
        lambda: ("Deployment created successfully", "success") in screen.toasts, what="the toast"
    )
    assert len(lossy.keys) == 2 and lossy.keys[0] and lossy.keys[0] == lossy.keys[1]
    page = await embedded.webops.list_deployments(embedded.store.id, DeploymentQuery())
    assert [d.rerun_of for d in page.items].count(first) == 1  # one rerun, not two
    assert page.total == 2
    assert not any(kind == "error" for _text, kind in screen.toasts)
    await wait_until(lambda: status_of(view) is DeploymentStatus.SUCCESS, 30, "the rerun's build")


#: Fails the first time (the registry "times out"), succeeds when built again: what a rerun is for.
FLAKY_BUILD = """\
import os, pathlib, sys
print("app key:", os.environ.get("FS_DISCOVERY_APP_KEY", "none"), flush=True)
print("banner:", os.environ.get("NEXT_PUBLIC_BANNER", "none"), flush=True)
marker = pathlib.Path(".registry-reached")
if not marker.exists():
    marker.write_text("once", encoding="utf-8")
    print("npm ERR! network timeout at: https://registry.npmjs.org/", file=sys.stderr, flush=True)
    sys.exit(1)
print("build finished", flush=True)
"""


@pytest.mark.asyncio
async def test_a_rerun_builds_the_earlier_snapshot_and_commit_again_and_succeeds(
    qtbot: QtBot, embedded: Embedded
) -> None:
    webops, store_id = embedded.webops, embedded.store.id
    await webops.update_entry(store_id, "FS_DISCOVERY_APP_KEY", "appkey-first", expected_version=1)
    await configure_build(embedded, "flaky_build.py", FLAKY_BUILD)
    screen = open_view(qtbot, embedded)
    view, details = screen.view, screen.view.details
    await redeploy_and_wait(qtbot, screen, DeploymentStatus.FAILED, 1)
    failed = await webops.get_deployment(store_id, view.model.deployment(0).id)
    assert failed.reason == "Redeploy requested from Deploys"
    # Someone else changes the variables after the failure: a rerun must not pick that up.
    bruno = webops.with_actor("bruno")
    await bruno.update_entry(store_id, "FS_DISCOVERY_APP_KEY", "appkey-second", expected_version=2)
    await bruno.create_entry(store_id, "NEXT_PUBLIC_BANNER", EntryType.TEXT, "Black Friday")
    await wait_until(
        lambda: details.deployment is not None and details.deployment.id == failed.id,
        what="the failed deployment, selected",
    )

    qtbot.mouseClick(details._rerun, Qt.MouseButton.LeftButton)
    await wait_until(lambda: view.model.rowCount() == 2, what="the rerun, listed")
    await wait_until(
        lambda: (
            details.deployment is not None
            and details.deployment.id != failed.id
            and details.deployment.status.finished
        ),
        30,
        "the rerun to finish, selected",
    )
    assert ("Deployment created successfully", "success") in screen.toasts
    rerun = await webops.get_deployment(store_id, details.deployment.id)
    assert rerun.status is DeploymentStatus.SUCCESS
    assert [step.status for step in rerun.steps] == [DeploymentStatus.SUCCESS]
    assert rerun.rerun_of == failed.id
    assert rerun.reason == f"Rerun of {failed.id}"
    assert rerun.author == "ana"
    assert (rerun.source.commit, rerun.source.branch) == (
        failed.source.commit,
        failed.source.branch,
    )
    assert rerun.source.commit  # the sample store is a git repository: a real commit
    assert rerun.environment is failed.environment
    built = [(e.key, e.version, e.type) for e in rerun.snapshot]
    assert built == [(e.key, e.version, e.type) for e in failed.snapshot]
    assert ("FS_DISCOVERY_APP_KEY", 2, EntryType.SECRET) in built  # not bruno's version 3
    assert "NEXT_PUBLIC_BANNER" not in {key for key, _, _ in built}

    # What the user sees: the rerun on top, its summary naming the earlier one, a clean log.
    assert view.model.deployment(0).id == rerun.id
    assert view.model.deployment(1).id == failed.id
    assert status_of(view, 0) is DeploymentStatus.SUCCESS
    assert status_of(view, 1) is DeploymentStatus.FAILED
    summary = details.findChild(type(details._summary), "deploymentSummary").text()
    assert f"rerun of {failed.id}" in summary and f"reason: Rerun of {failed.id}" in summary
    await wait_until(lambda: "build finished" in details.log_view.text(), what="the rerun's log")
    log = details.log_view.text()
    assert "banner: none" in log and "network timeout" not in log
    assert "appkey-first" not in log  # the secret is masked in the log
    await finish(embedded)


@pytest.mark.asyncio
async def test_cancel_stops_a_running_deployment_and_its_log_stops_following(
    qtbot: QtBot, embedded: Embedded
) -> None:
    await configure_build(
        embedded,
        "slow_build.py",
        "import time\nfor n in range(600):\n    print(f'compiling chunk {n}', flush=True)\n"
        "    time.sleep(0.05)\n",
    )
    screen = open_view(qtbot, embedded)
    view, details = screen.view, screen.view.details
    qtbot.mouseClick(view.redeploy_button, Qt.MouseButton.LeftButton)
    await wait_until(
        lambda: "compiling chunk 3" in details.log_view.text(), what="the live log of the build"
    )
    assert status_of(view) is DeploymentStatus.IN_PROGRESS
    assert details._cancel.isEnabled() and not details._rerun.isEnabled()
    elapsed_before = view.model.data(view.model.index(0, DeploymentColumn.ELAPSED))
    assert elapsed_before != "—"

    qtbot.mouseClick(details._cancel, Qt.MouseButton.LeftButton)
    await wait_until(lambda: status_of(view) is DeploymentStatus.CANCELED, what="Canceled")
    await wait_until(
        lambda: (
            details.deployment is not None
            and details.deployment.status is DeploymentStatus.CANCELED
        ),
        what="the details to say Canceled",
    )
    assert ("Deployment canceled", "success") in screen.toasts
    await wait_until(lambda: not details.follower.streaming, what="the log to end")
    lines = details.log_view.text().split("\n")
    chunks = [line for line in lines if line.startswith("compiling chunk")]
    assert chunks == [f"compiling chunk {n}" for n in range(len(chunks))]  # once, in order
    assert len(chunks) < 600
    assert details._rerun.isEnabled()
    await finish(embedded)


@pytest.mark.asyncio
async def test_a_burst_of_20000_log_lines_arrives_whole_and_in_order(
    qtbot: QtBot, embedded: Embedded
) -> None:
    await configure_build(
        embedded,
        "loud_build.py",
        "import sys\nsys.stdout.write(''.join(f'line {n:05d}\\n' for n in range(20000)))\n",
    )
    screen = open_view(qtbot, embedded)
    details = screen.view.details
    await redeploy_and_wait(qtbot, screen, DeploymentStatus.SUCCESS, 1)
    details.select_step("Build")
    expected = [f"line {n:05d}" for n in range(20000)]

    def lines() -> list[str]:
        return [line for line in details.log_view.text().split("\n") if line.startswith("line ")]

    await wait_until(lambda: len(lines()) >= 20000 and not details.follower.streaming, 30)
    await wait_until(lambda: details.log_view.pending_count == 0, what="the last frame")
    assert lines() == expected
    await finish(embedded)


@pytest.mark.asyncio
async def test_filters_search_sort_and_loading_the_next_page(
    qtbot: QtBot, embedded: Embedded
) -> None:
    screen = open_view(qtbot, embedded)
    view = screen.view
    view.page_size = 2
    webops, store_id = embedded.webops, embedded.store.id
    await wait_until(
        lambda: view._more.text() == "No deployments yet. Redeploy to build the store.",
        what="a list with nothing deployed yet, and no filter",
    )
    await redeploy_and_wait(qtbot, screen, DeploymentStatus.SUCCESS, 1)
    key = await webops.get_entry(store_id, "FS_DISCOVERY_APP_KEY")
    await webops.delete_entry(store_id, key.key, expected_version=key.version)
    await redeploy_and_wait(qtbot, screen, DeploymentStatus.FAILED, 2)
    await webops.create_entry(store_id, "FS_DISCOVERY_APP_KEY", EntryType.SECRET, "appkey-999")
    qtbot.mouseClick(view.redeploy_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: "of 3" in view._more.text(), what="a page of 2 out of 3")
    await wait_until(lambda: status_of(view) is DeploymentStatus.SUCCESS, what="the third")
    assert view.model.rowCount() == 2

    view.table.verticalScrollBar().setValue(view.table.verticalScrollBar().maximum())
    view.load_more()
    await wait_until(lambda: view.model.rowCount() == 3, what="the next page")
    ids = [d.id for d in view.model.deployments()]

    view.status.setCurrentIndex(view.status.findData(DeploymentStatus.FAILED))
    await wait_until(lambda: view.model.rowCount() == 1, what="the Failed filter")
    assert status_of(view) is DeploymentStatus.FAILED
    view.status.setCurrentIndex(0)

    view.order.setCurrentIndex(view.order.findData(SortOrder.OLDEST_FIRST))
    await wait_until(
        lambda: [d.id for d in view.model.deployments()] == ids[::-1][:2], what="oldest first"
    )
    view.order.setCurrentIndex(0)

    qtbot.keyClicks(view.search, ids[1][:6])  # typed, then sent once after a pause
    await wait_until(
        lambda: [d.id for d in view.model.deployments()] == [ids[1]], what="the search"
    )
    view.search.clear()
    view.branch.setCurrentIndex(view.branch.findData("main"))
    await wait_until(lambda: view.model.rowCount() == 2, what="the branch filter")
    view.environment.setCurrentIndex(2)  # Preview: the sample store deploys main only
    await wait_until(lambda: view.model.rowCount() == 0, what="no Preview deployment")
    assert view._more.text() == "No deployments match."
    await finish(embedded)


@pytest.mark.asyncio
async def test_watching_the_newest_follows_new_deployments_and_an_older_choice_stays(
    qtbot: QtBot, embedded: Embedded
) -> None:
    screen = open_view(qtbot, embedded)
    view, details = screen.view, screen.view.details
    webops, store_id = embedded.webops, embedded.store.id

    def shown() -> str | None:
        return details.deployment.id if details.deployment is not None else None

    first = await webops.create_deployment(store_id, "from the Variables view")
    await wait_until(lambda: shown() == first.id, what="the first deployment, selected")
    await wait_until(lambda: status_of(view) is DeploymentStatus.SUCCESS, what="it to succeed")
    second = await webops.create_deployment(store_id, "from the Variables view")
    await wait_until(lambda: shown() == second.id, what="the newest to be selected")
    await wait_until(lambda: status_of(view) is DeploymentStatus.SUCCESS, what="it to succeed")

    view.table.selectRow(1)  # the user looks at an older one
    await wait_until(lambda: shown() == first.id, what="the user's choice")
    third = await webops.create_deployment(store_id, "from the Variables view")
    await wait_until(lambda: view.model.row_of(third.id) == 0, what="the third in the list")
    assert shown() == first.id  # the list and the selection change in the same step
    await finish(embedded)


class CountingQueries:
    """Wraps list_deployments to see the queries the view sends; one can be held back."""

    def __init__(self, embedded: Embedded) -> None:
        self.queries: list[DeploymentQuery] = []
        self.answered: list[DeploymentQuery] = []
        self.held: dict[str, asyncio.Event] = {}
        self.hold_first_pages: asyncio.Event | None = None
        self._list = embedded.webops.list_deployments
        embedded.webops.list_deployments = self  # type: ignore[method-assign]

    async def __call__(self, store_id: str, query: DeploymentQuery) -> DeploymentPage:
        self.queries.append(query)
        page = await self._list(store_id, query)
        if query.search in self.held:
            await self.held[query.search].wait()
        if query.offset == 0 and self.hold_first_pages is not None:
            await self.hold_first_pages.wait()
        self.answered.append(query)
        return page


@pytest.mark.asyncio
async def test_search_is_sent_once_typing_pauses_and_a_superseded_answer_is_dropped(
    qtbot: QtBot, embedded: Embedded
) -> None:
    screen = open_view(qtbot, embedded)
    view = screen.view
    await redeploy_and_wait(qtbot, screen, DeploymentStatus.SUCCESS, 1)
    await redeploy_and_wait(qtbot, screen, DeploymentStatus.SUCCESS, 2)
    newest, older = (d.id for d in view.model.deployments())
    spy = CountingQueries(embedded)

    qtbot.keyClicks(view.search, newest)
    await wait_until(lambda: any(q.search == newest for q in spy.queries), what="the search")
    assert [q.search for q in spy.queries] == [newest]  # not one request per key typed
    await wait_until(lambda: [d.id for d in view.model.deployments()] == [newest])

    release = asyncio.Event()
    spy.held[older] = release  # the answer to this search comes late...
    view.search.setText(older)
    await wait_until(lambda: any(q.search == older for q in spy.queries), what="held search")
    view.search.clear()  # ...after the user has already moved on
    await wait_until(lambda: view.model.rowCount() == 2, what="the unfiltered list")
    release.set()
    await wait_until(lambda: any(q.search == older for q in spy.answered), what="late answer")
    assert [d.id for d in view.model.deployments()] == [newest, older]  # it was dropped
    await finish(embedded)


@pytest.mark.asyncio
async def test_loading_the_next_page_does_not_drop_a_refresh_of_the_list(
    qtbot: QtBot, embedded: Embedded
) -> None:
    screen = open_view(qtbot, embedded)
    view = screen.view
    view.page_size = 1
    await redeploy_and_wait(qtbot, screen, DeploymentStatus.SUCCESS, 1)
    await embedded.webops.create_deployment(embedded.store.id, "second")
    await wait_until(lambda: "of 2" in view._more.text(), what="one row shown of two")
    await wait_until(lambda: status_of(view) is DeploymentStatus.SUCCESS, what="the second")
    spy = CountingQueries(embedded)
    spy.hold_first_pages = release = asyncio.Event()

    third = await embedded.webops.create_deployment(embedded.store.id, "third")
    await wait_until(lambda: any(q.offset == 0 for q in spy.queries), what="a held refresh")
    view.load_more()  # the user scrolls to the end meanwhile
    await wait_until(lambda: any(q.offset > 0 for q in spy.answered), what="the next page")
    release.set()
    await wait_until(lambda: view.model.row_of(third.id) == 0, what="the refresh to apply")
    await finish(embedded)


@pytest.mark.asyncio
async def test_a_transient_failure_is_retried_quietly_and_a_persistent_one_is_said(
    qtbot: QtBot, embedded: Embedded
) -> None:
    screen = open_view(qtbot, embedded)
    view = screen.view
    await redeploy_and_wait(qtbot, screen, DeploymentStatus.SUCCESS, 1)
    real = embedded.webops.list_deployments
    failures = {"left": 1}

    async def flaky(store_id: str, query: DeploymentQuery) -> DeploymentPage:
        if failures["left"]:
            failures["left"] -= 1
            raise UnavailableError("The service is busy. Try again in a moment.")
        return await real(store_id, query)

    embedded.webops.list_deployments = flaky  # type: ignore[method-assign]
    view.status.setCurrentIndex(view.status.findData(DeploymentStatus.SUCCESS))
    await wait_until(lambda: failures["left"] == 0 and view.model.rowCount() == 1, what="retry")
    assert not [toast for toast in screen.toasts if toast[1] == "error"]

    failures["left"] = 100  # down for good
    view.status.setCurrentIndex(0)
    await wait_until(lambda: any(kind == "error" for _, kind in screen.toasts), 30, "the error")
    assert ("The service is busy. Try again in a moment.", "error") in screen.toasts
    embedded.webops.list_deployments = real  # type: ignore[method-assign]
    await finish(embedded)


@pytest.mark.asyncio
async def test_copy_the_deploy_id_and_commit_and_every_control_has_a_name(
    qtbot: QtBot, embedded: Embedded
) -> None:
    screen = open_view(qtbot, embedded)
    view = screen.view
    await redeploy_and_wait(qtbot, screen, DeploymentStatus.SUCCESS, 1)
    deployment = view.model.deployment(0)
    view.table.setFocus()
    view.copy_id_action.trigger()
    assert QGuiApplication.clipboard().text() == deployment.id
    view.copy_commit_action.trigger()
    assert QGuiApplication.clipboard().text() == deployment.source.commit
    assert view.copy_id_action in view.table.actions()  # the table's context menu

    unnamed = unnamed_controls(view)
    assert not unnamed, f"controls without an accessible name: {unnamed}"
    await finish(embedded)


@pytest.mark.asyncio
async def test_ctrl_f_finds_in_the_selected_deployments_log_wherever_the_focus_is(
    qtbot: QtBot, embedded: Embedded
) -> None:
    screen = open_view(qtbot, embedded)
    view, details, window = screen.view, screen.view.details, screen.window
    # The app window's Find, as main_window builds it: Ctrl+F for the window, sent to the view.
    window_find = QAction("Find", window)
    window_find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
    window_find.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    window_find.triggered.connect(view.focus_find)
    window.addAction(window_find)
    window.activateWindow()
    await wait_until(lambda: QApplication.activeWindow() is window, what="an active window")
    field = details.log_view.findChild(QLineEdit, "findInLog")
    assert field is not None

    # Nothing selected: Find is the deployment search.
    view.table.setFocus()
    QTest.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search.hasFocus() and not field.isVisible()

    await redeploy_and_wait(qtbot, screen, DeploymentStatus.SUCCESS, 1)
    await wait_until(lambda: "FastStore sample store" in details.log_view.text(), what="log")
    keys_tab = details._tabs.indexOf(details._snapshot)
    details._tabs.setCurrentIndex(keys_tab)  # the user looks at the keys, focus in the table
    view.table.setFocus()

    QTest.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)

    assert details._tabs.currentWidget() is details.log_view
    assert field.isVisible() and field.hasFocus()
    QTest.keyClicks(field, "sample store")
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert details.log_view.editor.textCursor().selectedText().lower() == "sample store"

    # Pressed again in the log's find bar: the deployment search.
    QTest.keyClick(field, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search.hasFocus()
    # From the search (or any other control of the view), back to the log.
    QTest.keyClick(view.search, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert field.hasFocus()

    # The Find button of the log does the same with the mouse.
    QTest.keyClick(field, Qt.Key.Key_Escape)
    assert not field.isVisible()
    button = details.log_view.findChild(QToolButton, "openFindInLog")
    assert button is not None and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert field.isVisible() and field.hasFocus()
    await finish(embedded)
