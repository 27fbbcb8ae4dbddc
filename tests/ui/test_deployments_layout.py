"""The Deploys view remembers its filters, splitters and columns from one start to the next."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from async_support import wait_until
from deploys_support import Embedded, finish, host
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot
from test_deployments_notifications import FINISHED, until_finished

from faststore_desktop.backends import Backends
from faststore_desktop.settings import LOCAL_CONNECTION_ID, Key, Settings
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.main_window import MainWindow
from faststore_desktop.ui.models.deployments import DeploymentColumn
from faststore_desktop.ui.session import Session
from faststore_desktop.ui.views.deployments import DeploymentsView
from faststore_desktop.webops.models import DeploymentStatus, Environment, SortOrder


def shown_view(
    qtbot: QtBot, context: StoreContext, settings: Settings
) -> tuple[DeploymentsView, QMainWindow]:
    """The view as the main window builds it: the layout restored before a store opens. Keep
    the window: closing the last one would end the test's loop."""
    view = DeploymentsView(context)
    view.restore_layout(settings)
    window = host(view)
    qtbot.addWidget(window)
    return view, window


def combo_data(view: DeploymentsView) -> list[object]:
    return [c.currentData() for c in (view.environment, view.branch, view.status, view.order)]


@pytest.mark.asyncio
async def test_filters_splitters_and_columns_come_back_on_the_next_start(
    qtbot: QtBot, embedded: Embedded, tmp_path: Path
) -> None:
    webops, store = embedded.webops, embedded.store
    done = await webops.create_deployment(store.id, "a build to list")
    await until_finished(embedded, done.id)
    file = tmp_path / "settings.ini"

    before, _first = shown_view(qtbot, embedded.context, Settings(file))
    embedded.context.set_store(webops, store, "This computer", LOCAL_CONNECTION_ID)
    await wait_until(lambda: before.model.rowCount() == 1, what="the deployment listed")
    header = before.table.horizontalHeader()
    author = DeploymentColumn.AUTHOR
    assert header.sectionSize(author) >= before.table.sizeHintForColumn(author)  # fitted
    before.environment.setCurrentIndex(before.environment.findData(Environment.PRODUCTION))
    before.branch.setCurrentIndex(before.branch.findData("main"))
    before.status.setCurrentIndex(before.status.findData(DeploymentStatus.SUCCESS))
    before.order.setCurrentIndex(before.order.findData(SortOrder.OLDEST_FIRST))
    before._splitter.setSizes([220, 480])
    before.details.steps_splitter.setSizes([330, 700])
    header.moveSection(header.visualIndex(author), 1)  # Author dragged next to Status
    header.resizeSection(author, 173)
    splitters = (before._splitter.sizes(), before.details.steps_splitter.sizes())
    chosen = combo_data(before)
    settings = Settings(file)
    before.save_layout(settings)
    settings.sync()

    after_context = StoreContext(Settings(file))
    after, _second = shown_view(qtbot, after_context, Settings(file))
    after_context.set_store(
        webops, store, "This computer", LOCAL_CONNECTION_ID
    )  # the branch chosen stays chosen
    expected = [Environment.PRODUCTION, "main", DeploymentStatus.SUCCESS, SortOrder.OLDEST_FIRST]
    assert combo_data(after) == chosen == expected
    query = after.query()
    assert [query.environment, query.branch, query.status, query.order] == expected
    await wait_until(lambda: after.model.rowCount() == 1, what="the filtered list")
    await wait_until(lambda: after.details.deployment is not None, what="its details")
    await wait_until(
        lambda: (after._splitter.sizes(), after.details.steps_splitter.sizes()) == splitters,
        what="the splitters as they were",
    )
    restored = after.table.horizontalHeader()
    assert restored.visualIndex(author) == 1
    assert restored.sectionSize(author) == 173  # the user's width, not fitted again

    # Layout only: names of filters and Qt's geometry, never a value of the store.
    written = QSettings(str(file), QSettings.Format.IniFormat).allKeys()
    assert sorted(written) == sorted(key.path for key in Key if key.path.startswith("deploys/"))
    after_context.clear()
    await finish(embedded)


def test_columns_fit_the_rows_shown_until_the_user_sizes_one(qtbot: QtBot, tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.ini")
    view, _window = shown_view(qtbot, StoreContext(settings), settings)
    author = DeploymentColumn.AUTHOR
    header = view.table.horizontalHeader()

    def fitted() -> bool:
        wanted = max(view.table.sizeHintForColumn(author), header.sectionSizeHint(author))
        return header.sectionSize(author) == wanted

    view.model.set_deployments([dataclasses.replace(FINISHED, author="ana")])
    view._size_columns()
    assert fitted()
    longer = dataclasses.replace(FINISHED, author="Ana Beatriz Souza de Oliveira")
    view.model.set_deployments([longer])
    view._size_columns()  # a later page: the column grows instead of cutting the name
    assert fitted()

    header.resizeSection(author, 90)  # the user's width holds from now on
    view.model.set_deployments([dataclasses.replace(FINISHED, author="ana")])
    view._size_columns()
    assert header.sectionSize(author) == 90


def test_the_main_window_saves_the_layout_on_close_and_restores_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    settings = Settings(tmp_path / "settings.ini")

    def window() -> MainWindow:
        context = StoreContext(settings)
        session = Session(context, settings, None, Backends(tmp_path / "data"))  # type: ignore[arg-type]
        built = MainWindow(context, session, settings)
        qtbot.addWidget(built)
        return built

    first = window()
    first.show_view("deployments")
    view = first.current_view()
    assert isinstance(view, DeploymentsView)
    view.status.setCurrentIndex(view.status.findData(DeploymentStatus.FAILED))
    first.close()

    again = window()  # the next start: the last view, with its filter
    view = again.current_view()
    assert isinstance(view, DeploymentsView)
    assert view.status.currentData() == DeploymentStatus.FAILED
