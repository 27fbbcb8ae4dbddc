"""The embedded store's SQLite database: one connection, owned by one worker thread.

Every statement runs on that thread, so the event loop (the GUI thread in the app) never waits
on disk; callers `await` the work. WAL lets readers in other processes (a second app, the API
server) read while a write is in progress; a write is one `BEGIN IMMEDIATE` transaction, so a
crash at any point leaves either all of it or none of it.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from faststore_desktop.webops.errors import WebOpsError
from faststore_desktop.webops.local.schema import MIGRATIONS

_T = TypeVar("_T")

#: The database's file name in a data folder.
DATABASE_NAME = "webops.sqlite3"


class IncompatibleDatabaseError(WebOpsError):
    code = "incompatible-database"


class UnreadableDatabaseError(WebOpsError):
    """The database file cannot be read: locked by another program for too long, or damaged."""

    code = "unreadable-database"


class Database:
    def __init__(self, executor: ThreadPoolExecutor, connection: sqlite3.Connection) -> None:
        self._executor = executor
        self._connection = connection

    @classmethod
    async def open(cls, path: Path) -> Database:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="faststore-sqlite")
        loop = asyncio.get_running_loop()
        try:
            connection = await loop.run_in_executor(executor, _connect, path)
        except BaseException:
            executor.shutdown(wait=True)
            raise
        return cls(executor, connection)

    async def read(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run `work` on the database thread in one read transaction: its statements see one
        snapshot, even while another process (the app, a server) writes to the same file."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, _in_snapshot, self._connection, work)

    async def write(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run `work` in one transaction: committed when it returns, rolled back if it raises."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, _in_transaction, self._connection, work)

    async def close(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._connection.close)
        self._executor.shutdown(wait=True)


def read_key_check(path: Path) -> bytes | None:
    """The sealed key check of the database at `path`; None while it holds no data yet.

    No data: no file, or a file never opened with a data key (the key check is the first thing
    `LocalWebOps.open` writes, before any store or entry). Blocking. It only reads: no file is
    created (`mode=rw` opens an existing file only) and nothing is migrated. Not `mode=ro`: in
    WAL mode a read-only connection leaves `-wal` and `-shm` files behind, which the last
    read-write connection to close removes.

    Raises UnreadableDatabaseError, naming the file, when SQLite cannot read it (still locked
    after 5 s, not a database, damaged).
    """
    if not path.is_file():
        return None
    uri = f"{path.resolve().as_uri()}?mode=rw"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=5.0, check_same_thread=False)
        try:
            has_meta = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
            ).fetchone()
            if has_meta is None:
                return None
            row = connection.execute("SELECT value FROM meta WHERE name = 'key_check'").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise UnreadableDatabaseError(
            f"{path} cannot be read ({error}). If another program has it open, close it and "
            "try again; if the file is damaged, restore it from a backup of this folder."
        ) from None
    return None if row is None else bytes(row[0])


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE), never implicit.
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("PRAGMA busy_timeout=5000")
        _migrate(connection)
    except BaseException:
        connection.close()
        raise
    return connection


def _migrate(connection: sqlite3.Connection) -> None:
    current = connection.execute("PRAGMA user_version").fetchone()[0]
    if current > len(MIGRATIONS):
        raise IncompatibleDatabaseError(
            "These variables and secrets were saved by a newer version of FastStore Desktop. "
            "Update the app to open them."
        )
    for version, script in enumerate(MIGRATIONS[current:], start=current + 1):

        def step(conn: sqlite3.Connection, script: str = script, version: int = version) -> None:
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version={version}")

        _in_transaction(connection, step)


def _statements(script: str) -> list[str]:
    # Migration scripts hold no string literal with a semicolon, so a split is exact.
    return [part.strip() for part in script.split(";") if part.strip()]


def _in_transaction(connection: sqlite3.Connection, work: Callable[[sqlite3.Connection], _T]) -> _T:
    return _within(connection, "BEGIN IMMEDIATE", work)


def _in_snapshot(connection: sqlite3.Connection, work: Callable[[sqlite3.Connection], _T]) -> _T:
    # A deferred transaction takes its WAL snapshot at the first read and keeps it to the end.
    return _within(connection, "BEGIN DEFERRED", work)


def _within(
    connection: sqlite3.Connection, begin: str, work: Callable[[sqlite3.Connection], _T]
) -> _T:
    connection.execute(begin)
    try:
        result = work(connection)
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return result
