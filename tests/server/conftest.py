"""Fixtures of the server tests: the ASGI app in-process (for auth, limits and problems, with a
recording sleep and tight limits) and a real `faststore-desktop serve` process (for faults,
logs and streams)."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from serverkit import Api, Served, make_tokens

from faststore_desktop.webops.server.app import ServerState, create_app
from faststore_desktop.webops.server.backend import LocalBackend
from faststore_desktop.webops.server.limits import Limits
from faststore_desktop.webops.server.process import ServerProcess
from faststore_desktop.webops.server.throttle import AuthThrottle
from faststore_desktop.webops.server.tokens import TokenStore


@pytest_asyncio.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    data_dir = tmp_path / "server"
    key = secrets.token_bytes(32)
    token_store = TokenStore.in_dir(data_dir)
    sleeps: list[float] = []

    async def recording_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    state = ServerState(
        open_backend=lambda: LocalBackend.open(data_dir, key),
        tokens=token_store,
        limits=Limits(max_body_bytes=256 * 1024, max_changeset_entries=20),
        throttle=AuthThrottle(free_failures=2, lockout_after=6),
        sleep=recording_sleep,
    )
    app = create_app(state)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                yield Api(client, make_tokens(token_store), state, token_store, sleeps)
    finally:
        token_store.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    data_dir = tmp_path / "served"
    data_dir.mkdir()
    token_store = TokenStore.in_dir(data_dir)
    try:
        tokens = make_tokens(token_store)
    finally:
        token_store.close()
    process = ServerProcess(
        data_dir, secrets.token_bytes(32), tmp_path / "server.log", options=("--sse-keepalive", "1")
    )
    process.start()
    try:
        yield Served(process, tokens)
    finally:
        process.stop()
