"""The live event stream of the open store: a refused stream (token revoked, no permission) is
not asked for again and the session says why; a broken one is watched again after a pause that
doubles up to a minute, jittered, and is short again once the stream has worked."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from async_support import failing_on_background_errors, wait_until
from team_server import TeamServer, team_server
from variables_support import install_english

from faststore_desktop.backends import Backends
from faststore_desktop.core.entries import EntryType
from faststore_desktop.settings import ServerConnection, Settings
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.session import Connection, Opened, Session
from faststore_desktop.ui.store_watcher import MAX_DELAY_S, StoreWatcher, backoff
from faststore_desktop.webops.errors import (
    AuthenticationError,
    PermissionDeniedError,
    UnavailableError,
    WebOpsError,
)
from faststore_desktop.webops.http.client import HttpWebOps
from faststore_desktop.webops.models import Store, StoreConfig, StoreEvent


class ScriptedStream:
    """The edge of the test: each call of `watch` plays the next step of `script`, an event
    (the stream delivers it, then breaks) or an error (the stream fails with it at once)."""

    def __init__(self, *script: StoreEvent | WebOpsError) -> None:
        self.script = list(script)
        self.calls = 0

    async def watch(self, store_id: str, *, after: int = 0) -> AsyncIterator[StoreEvent]:
        self.calls += 1
        step = self.script.pop(0) if self.script else UnavailableError("The server is busy.")
        if isinstance(step, WebOpsError):
            raise step
        yield step
        raise UnavailableError("The server dropped the connection.")


def event(seq: int) -> StoreEvent:
    return StoreEvent(seq=seq, kind="entries", at=datetime.now(UTC))


def open_store(context: StoreContext, stream: ScriptedStream) -> None:
    store = Store("s1", StoreConfig(name="Shop"), datetime.now(UTC))
    context.set_store(stream, store, "Team server", "https://webops.example.com")  # type: ignore[arg-type]


@pytest.mark.asyncio
async def test_a_broken_stream_is_watched_again_after_a_doubling_jittered_pause(
    tmp_path: Path,
) -> None:
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)
        await asyncio.sleep(0)

    context = StoreContext(Settings(tmp_path / "settings.ini"))
    failures = [UnavailableError("The server is busy.")] * 9
    stream = ScriptedStream(*failures, event(1), *failures[:2])
    watcher = StoreWatcher(context, sleep=sleep, rng=random.Random(7))
    assert backoff(10_000, random.Random(1)) <= MAX_DELAY_S  # hours of failures: still capped
    reloads: list[int] = []
    context.entriesChanged.connect(lambda: reloads.append(1))
    with failing_on_background_errors():
        open_store(context, stream)
        await wait_until(lambda: len(pauses) >= 12, what="twelve pauses")
        watcher.stop()

    caps = [1, 2, 4, 8, 16, 32, 60, 60, 60, 1, 2, 4]  # after the event: short pauses again
    for pause, cap in zip(pauses[:12], caps, strict=True):
        assert cap / 2 <= pause <= cap, (pauses, caps)
    assert max(pauses) <= MAX_DELAY_S
    assert len(set(pauses)) == len(pauses)  # jittered: no two clients wait alike
    assert reloads == [1]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("error", "message", "advice"),
    [
        (
            AuthenticationError("The token was revoked."),
            "The server rejected your token: live updates of Shop stopped.",
            "File > Connections",
        ),
        (
            PermissionDeniedError("This token may not read store s1."),
            "Your token has no permission to follow Shop: live updates stopped.",
            "Ask an admin",
        ),
    ],
)
async def test_a_refused_stream_is_not_asked_for_again_and_is_reported(
    error: WebOpsError, message: str, advice: str, tmp_path: Path
) -> None:
    install_english()
    context = StoreContext(Settings(tmp_path / "settings.ini"))
    stream = ScriptedStream(UnavailableError("The server is busy."), error)
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)

    watcher = StoreWatcher(context, sleep=sleep)
    reported: list[tuple[str, str]] = []
    watcher.failed.connect(lambda m, d: reported.append((m, d)))
    with failing_on_background_errors():
        open_store(context, stream)
        await wait_until(lambda: not watcher.watching, what="the watcher to stop")
        await asyncio.sleep(0.05)

    assert stream.calls == 2 and len(pauses) == 1
    assert len(reported) == 1
    shown, details = reported[0]
    assert shown == message
    assert error.message in details and advice in details


@pytest.fixture
def served(tmp_path: Path) -> Iterator[TeamServer]:
    with team_server(tmp_path, "--sse-keepalive", "1") as server:
        yield server


@pytest.mark.asyncio
async def test_a_token_revoked_while_watching_stops_the_watcher_and_the_session_says_so(
    tmp_path: Path, served: TeamServer
) -> None:
    install_english()
    process, token = served.process, served.token
    admin = HttpWebOps(process.base_url, token)
    store = await admin.create_store(StoreConfig(name="Team store"))
    settings = Settings(tmp_path / "settings.ini")
    settings.set_servers([ServerConnection("Team server", process.base_url)])

    async def opener(_connection: Connection) -> Opened:
        return Opened(HttpWebOps(process.base_url, token))

    context = StoreContext(settings)
    session = Session(context, settings, opener, Backends(tmp_path / "local"))
    watcher = StoreWatcher(context)
    watcher.failed.connect(session.failed)  # as the main window connects them
    reported: list[tuple[str, str]] = []
    session.failed.connect(lambda m, d: reported.append((m, d)))
    changes: list[int] = []
    context.entriesChanged.connect(lambda: changes.append(1))
    try:
        with failing_on_background_errors():
            connection = session.connection_by_id(process.base_url)
            assert connection is not None and await session.open(connection)
            assert watcher.watching
            await admin.create_entry(store.id, "VTEX_ACCOUNT", EntryType.TEXT, "storeframework")
            await wait_until(lambda: changes == [1], what="the live event")

            served.revoke()
            process.kill()  # the open stream drops; the reconnect meets the revocation
            process.start()
            await wait_until(lambda: not watcher.watching, what="the watcher to stop")
            await asyncio.sleep(2.5)  # longer than the old fixed retry pause
    finally:
        watcher.stop()
        await session.close()
        await admin.close()

    assert len(reported) == 1
    message, details = reported[0]
    assert message == "The server rejected your token: live updates of Team store stopped."
    assert "revoked" in details.lower()
    assert token not in details
