"""The engine behind the server: one LocalWebOps over the data folder, seen through a view per
token name, so history and the audit trail name the token that did the work while every view
shares one deployment queue and one set of log followers."""

from __future__ import annotations

from pathlib import Path

from faststore_desktop.webops.local.service import LocalWebOps
from faststore_desktop.webops.protocol import WebOps

#: The actor of the owning instance; requests always act through a token's view.
SERVER_ACTOR = "webops-server"


class LocalBackend:
    def __init__(self, webops: LocalWebOps) -> None:
        self._webops = webops

    def __repr__(self) -> str:
        return f"LocalBackend({self._webops!r})"

    @classmethod
    async def open(cls, data_dir: Path, data_key: bytes) -> LocalBackend:
        """Open the data folder (checking the key, recovering from a crash) before serving."""
        return cls(await LocalWebOps.open(data_dir, data_key, actor=SERVER_ACTOR))

    def as_actor(self, actor: str) -> WebOps:
        return self._webops.with_actor(actor)

    async def close(self) -> None:
        await self._webops.close()
