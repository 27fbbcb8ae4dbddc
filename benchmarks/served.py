"""A real WebOps API server for a benchmark: a `faststore-desktop serve` child process on a free
loopback port over a data folder, an admin token, and an `HttpWebOps` client of it."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from benchmarks.seed import ACTOR
from faststore_desktop.webops.http.client import HttpWebOps
from faststore_desktop.webops.server.process import ServerProcess
from faststore_desktop.webops.server.tokens import Role, TokenStore


@contextmanager
def served(data_dir: Path, data_key: bytes | None = None) -> Iterator[tuple[ServerProcess, str]]:
    """The running server and an admin token; the server stops on leaving."""
    data_dir.mkdir(parents=True, exist_ok=True)
    tokens = TokenStore.in_dir(data_dir)
    try:
        token = tokens.create(ACTOR, Role.ADMIN)
    finally:
        tokens.close()
    key = data_key or secrets.token_bytes(32)
    server = ServerProcess(data_dir, key, data_dir.parent / "server.log").start()
    try:
        yield server, token
    finally:
        server.stop()


@asynccontextmanager
async def served_webops(data_dir: Path) -> AsyncIterator[HttpWebOps]:
    with served(data_dir) as (server, token):
        webops = HttpWebOps(server.base_url, token)
        try:
            yield webops
        finally:
            await webops.close()
