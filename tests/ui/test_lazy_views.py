"""The window builds the view it shows first, the others after its first frame or when asked."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from async_support import wait_until
from PySide6.QtWidgets import QApplication, QLabel
from variables_support import install_english

from faststore_desktop.app import App
from faststore_desktop.backends import Backends
from faststore_desktop.settings import Key, Settings
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.main_window import MainWindow
from faststore_desktop.ui.session import Connection, Opened, Session
from faststore_desktop.ui.views import VIEWS, view_row
from faststore_desktop.webops.http.check import ConnectionReport


class NoServers:
    async def test(self, url: str, token: str) -> ConnectionReport:
        return ConnectionReport(ok=False, message="no server in this test")

    async def save_token(self, url: str, token: str) -> None:
        pass

    async def forget_token(self, url: str) -> None:
        pass


def never_opens() -> Callable[[Connection], Awaitable[Opened | None]]:
    async def opener(_connection: Connection) -> Opened | None:
        return None

    return opener


@pytest.fixture
def window_factory(tmp_path: Path, qapp: QApplication) -> Iterator[Callable[[str], MainWindow]]:
    windows: list[MainWindow] = []

    def make(last_view: str) -> MainWindow:
        settings = Settings(tmp_path / "settings.ini")
        settings.set(Key.LAST_VIEW, last_view)
        context = StoreContext(settings)
        session = Session(context, settings, never_opens(), NoServers())
        window = MainWindow(context, session, settings)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.watcher.stop()
        window.deleteLater()
    qapp.processEvents()


def test_the_registry_names_each_view_as_its_class_does() -> None:
    for spec in VIEWS:
        assert getattr(spec.load(), "view_name", None) == spec.name


def test_only_the_view_shown_first_is_built_with_the_window(
    window_factory: Callable[[str], MainWindow],
) -> None:
    window = window_factory("deployments")
    assert [view.objectName() for view in window.views] == ["deployments"]
    assert window.current_view() is window.views[0]
    assert window.nav.currentRow() == view_row("deployments")
    assert [window.nav.item(row).text() for row in range(window.nav.count())] == [
        spec.title for spec in VIEWS
    ]


def test_a_view_asked_for_is_built_at_once_in_its_place(
    window_factory: Callable[[str], MainWindow],
) -> None:
    window = window_factory("variables")
    window.show_view("activity")
    current = window.current_view()
    assert current is not None and current.objectName() == "activity"
    assert window.stack.indexOf(current) == view_row("activity")
    window.build_all_views()
    assert [view.objectName() for view in window.views] == [spec.name for spec in VIEWS]
    for row, spec in enumerate(VIEWS):
        window.nav.setCurrentRow(row)
        shown = window.current_view()
        assert shown is window.views[row] and shown.objectName() == spec.name
        assert window.stack.indexOf(shown) == row
    assert window.stack.count() == len(VIEWS)  # each stand-in gave way to its view
    for view, spec in zip(window.views, VIEWS, strict=True):  # each titled as it is listed
        heading = view.findChild(QLabel, "heading")
        assert heading is not None and heading.text() == spec.title
        assert view.layout().contentsMargins() == window.views[0].layout().contentsMargins()


@pytest.mark.asyncio
async def test_the_other_views_are_built_after_the_first_frame(
    window_factory: Callable[[str], MainWindow],
) -> None:
    window = window_factory("variables")
    assert len(window.views) == 1
    window.show()
    await wait_until(lambda: len(window.views) == len(VIEWS), 10, "every view built")
    current = window.current_view()
    assert current is not None and current.objectName() == "variables"
    window.hide()


@pytest.mark.asyncio
async def test_every_view_exists_when_the_first_store_opens(tmp_path: Path) -> None:
    """Even when no frame came first (a window started hidden is never exposed)."""
    install_english()
    app = App(Backends(tmp_path / "data"), Settings(tmp_path / "settings.ini"))
    built_when_opened: list[list[str]] = []

    def store_changed() -> None:
        if app.context.store is not None:
            built_when_opened.append([view.objectName() for view in app.window.views])

    app.context.storeChanged.connect(store_changed)
    assert len(app.window.views) == 1
    try:
        await asyncio.wait_for(app.session.start(), 60)
    finally:
        await app.close()
        app.window.deleteLater()
    assert built_when_opened == [[spec.name for spec in VIEWS]]
