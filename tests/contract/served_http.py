"""The "http" implementation of the contract suite: HttpWebOps talking to a real uvicorn server
(a `faststore-desktop serve` child process on a free loopback port) over a LocalWebOps in the
test's data folder."""

from __future__ import annotations

import secrets
from pathlib import Path

from faststore_desktop.webops.http.client import HttpWebOps
from faststore_desktop.webops.server.process import ServerProcess
from faststore_desktop.webops.server.tokens import Role, TokenStore


class ServedHttpWebOps(HttpWebOps):
    """An HttpWebOps that owns its server: closing it stops the server too."""

    def __init__(self, server: ServerProcess, token: str) -> None:
        super().__init__(server.base_url, token)
        self.server = server

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            self.server.stop()


def served_http_webops(data_dir: Path, actor: str) -> ServedHttpWebOps:
    data_dir.mkdir(parents=True, exist_ok=True)
    tokens = TokenStore.in_dir(data_dir)
    try:
        token = tokens.create(actor, Role.ADMIN)
    finally:
        tokens.close()
    log = data_dir.parent / "server.log"
    server = ServerProcess(data_dir, secrets.token_bytes(32), log, options=("--sse-keepalive", "1"))
    return ServedHttpWebOps(server.start(), token)
