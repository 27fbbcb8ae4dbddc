"""The engine behind the server: LocalWebOps over one data folder, acting as each token's owner.

LocalWebOps fixes its actor when it is made, and its data folder is built to be shared by
several instances (the app and a server may open the same one; watchers and log followers poll
for what another instance writes). So the server opens the folder once with `LocalWebOps.open`
(which checks the key and recovers from a crash) and makes one more instance per token name on
first use, on the same folder and key but without a second crash recovery, which would take the
deployments the others are running for interrupted ones. History and the audit trail name the
token that did the work.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from faststore_desktop.webops.local.crypto import ValueCipher
from faststore_desktop.webops.local.db import Database
from faststore_desktop.webops.local.deployments import REAL_TOOLS
from faststore_desktop.webops.local.service import DATABASE_NAME, LocalWebOps
from faststore_desktop.webops.protocol import WebOps

#: The actor of the instance opened at start (it checks the key before any request comes).
SERVER_ACTOR = "webops-server"


class LocalBackend:
    def __init__(self, data_dir: Path, data_key: bytes, first: LocalWebOps) -> None:
        self._data_dir = data_dir
        self._cipher = ValueCipher(data_key)
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
                    db = await Database.open(self._data_dir / DATABASE_NAME)
                    webops = LocalWebOps(self._data_dir, db, self._cipher, actor, REAL_TOOLS)
                    self._by_actor[actor] = webops
        return webops

    async def close(self) -> None:
        instances, self._by_actor = list(self._by_actor.values()), {}
        for webops in instances:
            await webops.close()
