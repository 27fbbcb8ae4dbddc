"""Switching connections: the one chosen last stays open, whichever answers first."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from async_support import wait_until
from test_app_start import ClosingWatched
from test_lazy_views import NoServers

from faststore_desktop.backends import Backends
from faststore_desktop.settings import Settings
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.session import Connection, Opened, Session
from faststore_desktop.webops.errors import UnavailableError

SLOW = Connection("slow", "Slow server", "https://slow.example")


class HeldOpener:
    """Opens an embedded store of its own for each connection. Each open of the slow one waits
    to be let go, then opens or fails, as the next of `slow_fails` says."""

    def __init__(self, tmp_path: Path, *slow_fails: bool) -> None:
        self._tmp_path = tmp_path
        self.release = asyncio.Event()
        self.slow_fails = list(slow_fails)
        self.opened: dict[str, ClosingWatched] = {}

    async def __call__(self, connection: Connection) -> Opened | None:
        if connection == SLOW:
            fails = self.slow_fails.pop(0)
            await self.release.wait()
            if fails:
                raise UnavailableError("The server did not answer.")
        opened = await Backends(self._tmp_path / connection.id).open_local()
        assert opened is not None
        watched = ClosingWatched(opened.webops)
        self.opened[connection.id] = watched
        return Opened(watched, opened.protection)  # type: ignore[arg-type]


@pytest.mark.asyncio
@pytest.mark.parametrize("slow_fails", [False, True], ids=["slow opens", "slow fails"])
async def test_a_connection_overtaken_by_a_later_choice_neither_opens_nor_complains(
    tmp_path: Path, slow_fails: bool
) -> None:
    settings = Settings(tmp_path / "settings.ini")
    context = StoreContext(settings)
    opener = HeldOpener(tmp_path, slow_fails)
    session = Session(context, settings, opener, NoServers())
    failures: list[str] = []
    session.failed.connect(lambda message, _details: failures.append(message))
    busy: list[str] = []
    session.busyChanged.connect(busy.append)
    local = session.connections()[0]

    first = asyncio.ensure_future(session.open(SLOW))
    await wait_until(lambda: session.opening, what="the slow server opening")
    assert await session.open(local)  # the user gave up on it and chose this computer
    assert session.connection == local and not session.opening
    assert busy[-1] == ""

    opener.release.set()
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
    settings = Settings(tmp_path / "settings.ini")
    context = StoreContext(settings)
    opener = HeldOpener(tmp_path, False, True)  # the first try would open, the second fails
    session = Session(context, settings, opener, NoServers())
    failures: list[str] = []
    session.failed.connect(lambda message, _details: failures.append(message))
    local = session.connections()[0]
    assert await session.open(local)

    first = asyncio.ensure_future(session.open(SLOW))
    await wait_until(lambda: session.opening, what="the slow server opening")
    second = asyncio.ensure_future(session.open(SLOW))  # chosen again: this one is the latest
    opener.release.set()
    assert not await second
    assert not await first
    assert failures == ["Could not open Slow server."]
    assert session.connection == local and not session.opening
    assert context.webops is opener.opened[local.id]
    assert opener.opened[SLOW.id].closed
    await session.close()
