"""The embedded store's database: a read sees one snapshot while another connection writes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from faststore_desktop.webops.local.db import Database

COUNT = "SELECT count(*) FROM stores"


@pytest.mark.asyncio
async def test_a_read_sees_one_snapshot_while_another_process_writes(tmp_path: Path) -> None:
    path = tmp_path / "webops.sqlite3"
    db = await Database.open(path)
    # Another process's connection, as the API server sharing the data folder would have.
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:

        def count_around_a_write(conn: sqlite3.Connection) -> tuple[int, int]:
            before = conn.execute(COUNT).fetchone()[0]
            other.execute("INSERT INTO stores (id, config, created_at) VALUES ('s1', '{}', 'now')")
            return before, conn.execute(COUNT).fetchone()[0]

        assert await db.read(count_around_a_write) == (0, 0)
        assert await db.read(lambda conn: conn.execute(COUNT).fetchone()[0]) == 1
    finally:
        other.close()
        await db.close()


@pytest.mark.asyncio
async def test_a_failing_read_leaves_the_connection_usable(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "webops.sqlite3")
    try:

        def broken(conn: sqlite3.Connection) -> None:
            conn.execute("SELECT no_such_column FROM stores")

        with pytest.raises(sqlite3.OperationalError):
            await db.read(broken)
        assert await db.read(lambda conn: conn.execute(COUNT).fetchone()[0]) == 0
        await db.write(
            lambda conn: conn.execute(
                "INSERT INTO stores (id, config, created_at) VALUES ('s1', '{}', 'now')"
            )
        )
    finally:
        await db.close()
