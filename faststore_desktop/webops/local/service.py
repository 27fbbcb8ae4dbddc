"""LocalWebOps: the WebOps protocol on this computer (SQLite, AES-GCM, local build runner)."""

from __future__ import annotations

import asyncio
import copy
import sqlite3
from collections.abc import AsyncIterator, Sequence
from functools import partial
from pathlib import Path

from faststore_desktop.core import changeset
from faststore_desktop.core.changeset import ChangeSet
from faststore_desktop.core.entries import Entry, EntryType
from faststore_desktop.webops.local import idempotency
from faststore_desktop.webops.local.crypto import ValueCipher
from faststore_desktop.webops.local.datakey import resolve_data_key
from faststore_desktop.webops.local.db import DATABASE_NAME, Database
from faststore_desktop.webops.local.deployments import REAL_TOOLS, BuildTools, DeploymentEngine
from faststore_desktop.webops.local.entries import EntryRepository
from faststore_desktop.webops.local.journal import audit_page, events_after
from faststore_desktop.webops.local.logs import LogStore
from faststore_desktop.webops.local.notifier import Notifier
from faststore_desktop.webops.local.ownership import FolderLock
from faststore_desktop.webops.local.stores import (
    configure_store,
    create_store,
    encode_config,
    get_store,
    list_stores,
)
from faststore_desktop.webops.models import (
    ApplyResult,
    AuditRecord,
    Deployment,
    DeploymentPage,
    DeploymentQuery,
    EntryStatus,
    EntryVersion,
    LogLine,
    Store,
    StoreConfig,
    StoreEvent,
)

__all__ = ["DATABASE_NAME", "LocalWebOps", "resolve_data_key"]

LOGS_FOLDER = "deploy-logs"
#: How often a watcher looks for events written by another process (the folder lock keeps a
#: second owner out, but not an older app without it); events of this process wake it at once.
_WATCH_POLL_SECONDS = 1.0


class LocalWebOps:
    """The embedded WebOps. Open it with `await LocalWebOps.open(...)`, close it with `close()`."""

    def __init__(
        self,
        data_dir: Path,
        db: Database,
        cipher: ValueCipher,
        actor: str,
        *,
        tools: BuildTools,
        lock: FolderLock,
    ) -> None:
        self._data_dir = data_dir
        self._lock = lock
        self._db = db
        self._actor = actor
        self._cipher = cipher
        self._entries = EntryRepository(cipher, actor)
        self._notifier = Notifier()
        self._deployments = DeploymentEngine(
            db,
            cipher=cipher,
            logs=LogStore(data_dir / LOGS_FOLDER, self._notifier),
            notifier=self._notifier,
            tools=tools,
        )
        #: Views made by with_actor share everything with their owner, which alone closes it.
        self._owner = True

    @classmethod
    async def open(
        cls, data_dir: Path, data_key: bytes, *, actor: str, tools: BuildTools = REAL_TOOLS
    ) -> LocalWebOps:
        """Open (or create) the store data under `data_dir`, checking that `data_key` fits it.

        The folder is this instance's until `close()` (or the process ends): another opener, in
        this process or another, gets `DataFolderInUseError`. A deployment a crash left In
        progress is marked Failed ("interrupted"); queued ones start. `tools` (the step runner
        and git reader) is replaceable for tests.
        """
        cipher = ValueCipher(data_key)
        lock = await asyncio.to_thread(FolderLock.acquire, data_dir)
        try:
            db = await Database.open(data_dir / DATABASE_NAME)
            try:
                await db.write(lambda conn: _check_data_key(conn, cipher))
                await db.write(idempotency.forget_old)
            except BaseException:
                await db.close()
                raise
        except BaseException:
            lock.release()
            raise
        service = cls(data_dir, db, cipher, actor, tools=tools, lock=lock)
        await service._deployments.recover()
        return service

    @property
    def actor(self) -> str:
        return self._actor

    def with_actor(self, actor: str) -> LocalWebOps:
        """The same store data acting as `actor` (the API server: one view per token owner).

        Views share the database, the deployment queue and the log followers, so one deployment
        runs at a time per store whoever asks; closing a view does nothing.
        """
        view = copy.copy(self)
        view._actor = actor
        view._entries = self._entries.with_actor(actor)
        view._owner = False
        return view

    async def close(self) -> None:
        """Cancel running deployments (their builds are stopped), then close the database."""
        if not self._owner:
            return
        try:
            await self._deployments.close()
            await self._db.close()
        finally:
            self._lock.release()

    # -- stores -----------------------------------------------------------------------------------

    async def list_stores(self) -> Sequence[Store]:
        return await self._db.read(list_stores)

    async def get_store(self, store_id: str) -> Store:
        return await self._db.read(lambda conn: get_store(conn, store_id))

    async def create_store(
        self, config: StoreConfig, *, idempotency_key: str | None = None
    ) -> Store:
        request = self._request("store.create", encode_config(config))
        return await self._db.write(
            lambda conn: create_store(
                conn, config, self._actor, idempotency_key=idempotency_key, request=request
            )
        )

    async def configure_store(
        self, store_id: str, config: StoreConfig, *, idempotency_key: str | None = None
    ) -> Store:
        request = self._request("store.configure", [store_id, encode_config(config)])
        return await self._db.write(
            lambda conn: configure_store(
                conn,
                store_id,
                config,
                self._actor,
                idempotency_key=idempotency_key,
                request=request,
            )
        )

    # -- entries ----------------------------------------------------------------------------------

    async def list_entries(self, store_id: str) -> Sequence[Entry]:
        return await self._db.read(lambda conn: self._entries.list_entries(conn, store_id))

    async def get_entry(self, store_id: str, key: str) -> Entry:
        return await self._db.read(lambda conn: self._entries.get(conn, store_id, key))

    async def create_entry(
        self,
        store_id: str,
        key: str,
        type: EntryType,
        value: str,
        *,
        idempotency_key: str | None = None,
    ) -> Entry:
        change = ChangeSet([changeset.create(key, type, value)])
        result = await self._apply(store_id, change, idempotency_key)
        return result.entries[0]

    async def update_entry(
        self,
        store_id: str,
        key: str,
        value: str,
        *,
        expected_version: int,
        type: EntryType | None = None,
        idempotency_key: str | None = None,
    ) -> Entry:
        change = ChangeSet([changeset.update(key, value, expected_version, type)])
        result = await self._apply(store_id, change, idempotency_key)
        return result.entries[0]

    async def delete_entry(
        self,
        store_id: str,
        key: str,
        *,
        expected_version: int,
        idempotency_key: str | None = None,
    ) -> None:
        change = ChangeSet([changeset.delete(key, expected_version)])
        await self._apply(store_id, change, idempotency_key)

    async def apply(
        self, store_id: str, changes: ChangeSet, *, idempotency_key: str
    ) -> ApplyResult:
        return await self._apply(store_id, changes, idempotency_key)

    async def status(self, store_id: str) -> EntryStatus:
        return await self._db.read(lambda conn: self._entries.status(conn, store_id))

    async def entry_history(self, store_id: str, key: str) -> Sequence[EntryVersion]:
        return await self._db.read(lambda conn: self._entries.history(conn, store_id, key))

    async def rollback_entry(
        self,
        store_id: str,
        key: str,
        version: int,
        *,
        expected_version: int | None,
        idempotency_key: str | None = None,
    ) -> Entry:
        entry = await self._db.write(
            lambda conn: self._entries.rollback(
                conn,
                store_id,
                key,
                version,
                expected_version=expected_version,
                idempotency_key=idempotency_key,
            )
        )
        self._notifier.notify(store_id)
        return entry

    async def audit_trail(
        self, store_id: str, *, offset: int = 0, limit: int = 200
    ) -> Sequence[AuditRecord]:
        def read(conn: sqlite3.Connection) -> list[AuditRecord]:
            get_store(conn, store_id)
            return audit_page(conn, store_id, offset, limit)

        return await self._db.read(read)

    async def watch(self, store_id: str, *, after: int = 0) -> AsyncIterator[StoreEvent]:
        await self.get_store(store_id)
        seen = after
        while True:
            events = await self._db.read(partial(events_after, store_id=store_id, after=seen))
            for event in events:
                seen = event.seq
                yield event
            if not events:
                await self._notifier.wait(store_id, _WATCH_POLL_SECONDS)

    # -- deployments ------------------------------------------------------------------------------

    async def list_deployments(self, store_id: str, query: DeploymentQuery) -> DeploymentPage:
        """A page of deployments; items carry their steps, and their snapshot only from get."""
        return await self._deployments.page(store_id, query)

    async def get_deployment(self, store_id: str, deployment_id: str) -> Deployment:
        return await self._deployments.get(store_id, deployment_id)

    async def create_deployment(
        self, store_id: str, reason: str, *, idempotency_key: str | None = None
    ) -> Deployment:
        return await self._deployments.create(store_id, reason, idempotency_key, actor=self._actor)

    async def rerun_deployment(
        self, store_id: str, deployment_id: str, *, idempotency_key: str | None = None
    ) -> Deployment:
        return await self._deployments.rerun(
            store_id, deployment_id, idempotency_key, actor=self._actor
        )

    async def cancel_deployment(
        self, store_id: str, deployment_id: str, *, idempotency_key: str | None = None
    ) -> Deployment:
        return await self._deployments.cancel(
            store_id, deployment_id, idempotency_key, actor=self._actor
        )

    def follow_log(
        self, store_id: str, deployment_id: str, step: str, *, offset: int = 0
    ) -> AsyncIterator[LogLine]:
        return self._deployments.follow(store_id, deployment_id, step, offset)

    # -- internals --------------------------------------------------------------------------------

    def _request(self, operation: str, material: object) -> str:
        return idempotency.digest(self._cipher, operation, self._actor, material)

    async def _apply(
        self, store_id: str, changes: ChangeSet, idempotency_key: str | None
    ) -> ApplyResult:
        result = await self._db.write(
            lambda conn: self._entries.apply(conn, store_id, changes, idempotency_key)
        )
        if not result.replayed:
            self._notifier.notify(store_id)
        return result


def _check_data_key(conn: sqlite3.Connection, cipher: ValueCipher) -> None:
    """Remember a sealed constant on first open; later opens must be able to read it back."""
    row = conn.execute("SELECT value FROM meta WHERE name = 'key_check'").fetchone()
    if row is None:
        conn.execute(
            "INSERT INTO meta (name, value) VALUES ('key_check', ?)", (cipher.key_check(),)
        )
    else:
        cipher.verify_key_check(row[0])
