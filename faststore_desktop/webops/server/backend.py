"""The engine behind the server: LocalWebOps over one data folder, acting as each token's owner.

LocalWebOps fixes its actor when it is opened, and its data folder is made to be shared by
several instances (the app and a server may open the same one). So the server keeps one instance
per actor, opened on first use: history and the audit trail name the token that did the work.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from faststore_desktop.webops.local.service import LocalWebOps
from faststore_desktop.webops.protocol import WebOps

#: The actor of the instance opened at start (it checks the key before any request comes).
SERVER_ACTOR = "webops-server"


class LocalBackend:
    def __init__(self, data_dir: Path, data_key: bytes, first: LocalWebOps) -> None:
        self._data_dir = data_dir
        self._data_key = data_key
        self._by_actor: dict[str, LocalWebOps] = {first.actor: first}
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"LocalBackend({self._data_dir})"

    @classmethod
    async def open(cls, data_dir: Path, data_key: bytes) -> LocalBackend:
        """Open the data folder, failing at start when the key does not fit it."""
        first = await LocalWebOps.open(data_dir, data_key, actor=SERVER_ACTOR)
        return cls(data_dir, data_key, first)

    async def as_actor(self, actor: str) -> WebOps:
        webops = self._by_actor.get(actor)
        if webops is None:
            async with self._lock:
                webops = self._by_actor.get(actor)
                if webops is None:
                    webops = await LocalWebOps.open(self._data_dir, self._data_key, actor=actor)
                    self._by_actor[actor] = webops
        return webops

    async def close(self) -> None:
        instances, self._by_actor = list(self._by_actor.values()), {}
        for webops in instances:
            await webops.close()
