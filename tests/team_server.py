"""A real WebOps API server process with an admin token, for the GUI's tests of servers."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from faststore_desktop.webops.server.process import ServerProcess
from faststore_desktop.webops.server.tokens import Role, TokenStore


@dataclass(frozen=True)
class TeamServer:
    process: ServerProcess
    #: The server's data folder; its token store is read at every request, so a test may
    #: revoke a token there while the server runs.
    data: Path
    #: An admin token of "ana".
    token: str

    def revoke(self, name: str = "ana") -> None:
        """Revoke `name`'s tokens; the running server reads its token store at every request."""
        tokens = TokenStore.in_dir(self.data)
        try:
            tokens.revoke(name)
        finally:
            tokens.close()


@contextmanager
def team_server(tmp_path: Path, *options: str) -> Iterator[TeamServer]:
    data = tmp_path / "server"
    data.mkdir()
    tokens = TokenStore.in_dir(data)
    try:
        token = tokens.create("ana", Role.ADMIN)
    finally:
        tokens.close()
    process = ServerProcess(
        data, secrets.token_bytes(32), tmp_path / "server.log", options=options
    ).start()
    try:
        yield TeamServer(process, data, token)
    finally:
        process.stop()
