"""The append-only records of a store: the audit trail (never a value) and the event feed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from faststore_desktop.webops.local.timestamps import from_db, now, to_db
from faststore_desktop.webops.models import AuditRecord, DeploymentStatus, StoreEvent

#: Events older than this many per store are pruned; a watcher further behind re-reads state.
EVENTS_KEPT = 10_000

AuditRow = tuple[str, str | None, str]  # action, key, detail


def append_audit(
    conn: sqlite3.Connection, store_id: str, actor: str, rows: Iterable[AuditRow]
) -> None:
    at = to_db(now())
    conn.executemany(
        "INSERT INTO audit (store_id, at, actor, action, key, detail) VALUES (?, ?, ?, ?, ?, ?)",
        [(store_id, at, actor, action, key, detail) for action, key, detail in rows],
    )


def audit_page(
    conn: sqlite3.Connection, store_id: str, offset: int, limit: int
) -> list[AuditRecord]:
    rows = conn.execute(
        "SELECT id, at, actor, action, key, detail FROM audit WHERE store_id = ? "
        "ORDER BY id DESC LIMIT ? OFFSET ?",
        (store_id, max(0, limit), max(0, offset)),
    )
    return [
        AuditRecord(id=id_, at=from_db(at), actor=actor, action=action, key=key, detail=detail)
        for id_, at, actor, action, key, detail in rows
    ]


def append_event(
    conn: sqlite3.Connection,
    store_id: str,
    kind: str,
    deployment_id: str | None = None,
    status: DeploymentStatus | None = None,
) -> int:
    """Add an event to the store's feed and return its seq (one more than the last).

    Every 1000th event prunes the ones older than EVENTS_KEPT, so the feed stays bounded without
    a sweep on every write.
    """
    (last,) = conn.execute(
        "SELECT coalesce(max(seq), 0) FROM events WHERE store_id = ?", (store_id,)
    ).fetchone()
    seq = int(last) + 1
    conn.execute(
        "INSERT INTO events (store_id, seq, kind, deployment_id, status, at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            store_id,
            seq,
            kind,
            deployment_id,
            None if status is None else status.value,
            to_db(now()),
        ),
    )
    if seq % 1000 == 0:
        conn.execute(
            "DELETE FROM events WHERE store_id = ? AND seq <= ?", (store_id, seq - EVENTS_KEPT)
        )
    return seq


def events_after(
    conn: sqlite3.Connection, store_id: str, after: int, limit: int = 500
) -> list[StoreEvent]:
    rows = conn.execute(
        "SELECT seq, kind, deployment_id, status, at FROM events "
        "WHERE store_id = ? AND seq > ? ORDER BY seq LIMIT ?",
        (store_id, after, limit),
    )
    return [
        StoreEvent(
            seq=seq,
            kind=kind,
            deployment_id=deployment_id,
            status=None if status is None else DeploymentStatus(status),
            at=from_db(at),
        )
        for seq, kind, deployment_id, status, at in rows
    ]
