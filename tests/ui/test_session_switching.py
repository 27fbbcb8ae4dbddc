"""Switching connections: the one chosen last stays open, whichever answers first."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from async_support import cancel_pending, wait_until
from pytestqt.qtbot import QtBot
from test_app_start import ClosingWatched
from test_lazy_views import NoServers

from faststore_desktop.backends import Backends
from faststore_desktop.settings import ServerConnection, Settings
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.main_window import MainWindow
from faststore_desktop.ui.session import Connection, Opened, Session
from faststore_desktop.webops.errors import UnavailableError

SLOW = Connection("https://slow.example", "Slow server", "https://slow.example")
OTHER = Connection("https://other.example", "Other server", "https://other.example")


class HeldOpener:
    """Opens an embedded store of its own for each connection. Each open of a held connection
    waits until it is let go, then opens or fails, as the next of its outcomes says."""

    def __init__(self, tmp_path: Path) -> None:
        self._tmp_path = tmp_path
        self._gates: dict[str, asyncio.Event] = {}
        self._fails: dict[str, list[bool]] = {}
        self._count = 0
        self.opened: dict[str, ClosingWatched] = {}

    def hold(self, connection: Connection, *fails: bool) -> asyncio.Event:
        """Hold `connection`'s opens: the n-th fails when `fails[n]`. Set the event to let go."""
        self._fails[connection.id] = list(fails)
        gate = self._gates[connection.id] = asyncio.Event()
        return gate

    async def __call__(self, connection: Connection) -> Opened | None:
        if connection.id in self._gates:
            fails = self._fails[connection.id].pop(0)
            await self._gates[connection.id].wait()
            if fails:
                raise UnavailableError("The server did not answer.")
        self._count += 1
        opened = await Backends(self._tmp_path / f"data-{self._count}").open_local()
        assert opened is not None
        watched = ClosingWatched(opened.webops)
        self.opened[connection.id] = watched
        return Opened(watched, opened.protection)  # type: ignore[arg-type]


def session_of(tmp_path: Path, opener: HeldOpener) -> tuple[Session, StoreContext, list[str]]:
    """A session on `opener`, with the failures it reports."""
    settings = Settings(tmp_path / "settings.ini")
    settings.set_servers([ServerConnection(c.name, c.url) for c in (SLOW, OTHER)])
    context = StoreContext(settings)
    session = Session(context, settings, opener, NoServers())
    failures: list[str] = []
    session.failed.connect(lambda message, _details: failures.append(message))
    return session, context, failures


@pytest.mark.asyncio
@pytest.mark.parametrize("slow_fails", [False, True], ids=["slow opens", "slow fails"])
async def test_a_connection_overtaken_by_a_later_choice_neither_opens_nor_complains(
    tmp_path: Path, slow_fails: bool
) -> None:
    opener = HeldOpener(tmp_path)
    release = opener.hold(SLOW, slow_fails)
    session, context, failures = session_of(tmp_path, opener)
    busy: list[str] = []
    session.busyChanged.connect(busy.append)
    local = session.connections()[0]

    first = asyncio.ensure_future(session.open(SLOW))
    await wait_until(lambda: session.opening, what="the slow server opening")
    assert await session.open(local)  # the user gave up on it and chose this computer
    assert session.connection == local and not session.opening
    assert busy[-1] == ""

    release.set()
    assert not await first
    assert session.connection == local
    assert context.webops is opener.opened[local.id]
    assert context.store is not None
    if not slow_fails:
        assert opener.opened[SLOW.id].closed  # what the overtaken open made is not left open
    assert failures == []
    assert busy[-1] == ""
    await session.close()


@pytest.mark.asyncio
async def test_the_latest_choice_failing_leaves_the_open_connection_even_if_an_earlier_opens(
    tmp_path: Path,
) -> None:
    opener = HeldOpener(tmp_path)
    release = opener.hold(SLOW, False, True)  # the first try would open, the second fails
    session, context, failures = session_of(tmp_path, opener)
    local = session.connections()[0]
    assert await session.open(local)

    first = asyncio.ensure_future(session.open(SLOW))
    await wait_until(lambda: session.opening, what="the slow server opening")
    second = asyncio.ensure_future(session.open(SLOW))  # chosen again: this one is the latest
    release.set()
    assert not await second
    assert not await first
    assert failures == ["Could not open Slow server."]
    assert session.connection == local and not session.opening
    assert context.webops is opener.opened[local.id]
    assert opener.opened[SLOW.id].closed
    await session.close()


@pytest.mark.asyncio
async def test_the_switcher_shows_the_latest_choice_while_it_connects(
    tmp_path: Path, qtbot: QtBot
) -> None:
    opener = HeldOpener(tmp_path)
    release_slow, release_other = opener.hold(SLOW, False), opener.hold(OTHER, False)
    session, context, _failures = session_of(tmp_path, opener)
    window = MainWindow(context, session, context.settings)
    qtbot.addWidget(window)
    assert await session.open(session.connections()[0])
    box = window.connection_box
    assert box.currentText() == "This computer"

    def choose(connection: Connection) -> None:  # as picking it in the switcher does
        index = box.findData(connection.id)
        box.setCurrentIndex(index)
        box.activated.emit(index)

    choose(SLOW)
    await wait_until(lambda: session.opening, what="the slow server opening")
    choose(OTHER)
    release_slow.set()
    await wait_until(lambda: SLOW.id in opener.opened and opener.opened[SLOW.id].closed)
    assert session.opening
    assert box.currentText() == "Other server"  # not back to "This computer" meanwhile

    release_other.set()
    await wait_until(lambda: session.connection == OTHER, what="the other server open")
    assert box.currentText() == "Other server"
    window.watcher.stop()
    await cancel_pending()
    await session.close()
