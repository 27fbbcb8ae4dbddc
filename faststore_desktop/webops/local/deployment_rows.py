"""SQL of deployments: rows, steps, snapshots and queries. Runs on the database thread."""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from faststore_desktop.core.entries import EntryType
from faststore_desktop.webops.errors import NotFoundError
from faststore_desktop.webops.local.journal import append_event
from faststore_desktop.webops.local.timestamps import from_db, now, optional_from_db, to_db
from faststore_desktop.webops.models import (
    BuildStep,
    Deployment,
    DeploymentPage,
    DeploymentQuery,
    DeploymentStatus,
    Environment,
    SnapshotEntry,
    SortOrder,
    Source,
    StepState,
)

INTERRUPTED = "interrupted"

_COLUMNS = (
    "id, store_id, status, environment, commit_sha, branch, source_author, message, author, "
    "reason, created_at, started_at, finished_at, rerun_of, error"
)


@dataclass(frozen=True, slots=True)
class NewDeployment:
    store_id: str
    environment: Environment
    source: Source
    author: str
    reason: str
    steps: Sequence[BuildStep]
    snapshot: Sequence[SnapshotEntry]
    rerun_of: str | None = None


def insert(conn: sqlite3.Connection, new: NewDeployment) -> str:
    deployment_id = secrets.token_hex(5)
    (seq,) = conn.execute(
        "SELECT coalesce(max(seq), 0) + 1 FROM deployments WHERE store_id = ?", (new.store_id,)
    ).fetchone()
    source = new.source
    conn.execute(
        f"INSERT INTO deployments (seq, {_COLUMNS}) "  # noqa: S608 (constant column list)
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, '')",
        (
            seq,
            deployment_id,
            new.store_id,
            DeploymentStatus.QUEUED.value,
            new.environment.value,
            source.commit,
            source.branch,
            source.author,
            source.message,
            new.author,
            new.reason,
            to_db(now()),
            new.rerun_of,
        ),
    )
    conn.executemany(
        "INSERT INTO deployment_steps (deployment_id, position, name, command, optional, status) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                deployment_id,
                position,
                step.name,
                json.dumps(list(step.command)),
                step.optional,
                DeploymentStatus.QUEUED.value,
            )
            for position, step in enumerate(new.steps)
        ],
    )
    replace_snapshot(conn, deployment_id, new.snapshot)
    append_event(conn, new.store_id, "deployment", deployment_id, DeploymentStatus.QUEUED)
    return deployment_id


def replace_snapshot(
    conn: sqlite3.Connection, deployment_id: str, snapshot: Iterable[SnapshotEntry]
) -> None:
    conn.execute("DELETE FROM deployment_snapshot WHERE deployment_id = ?", (deployment_id,))
    conn.executemany(
        "INSERT INTO deployment_snapshot (deployment_id, key, version, type, new) "
        "VALUES (?, ?, ?, ?, ?)",
        [(deployment_id, e.key, e.version, e.type.value, e.new) for e in snapshot],
    )


def current_snapshot(conn: sqlite3.Connection, store_id: str) -> list[SnapshotEntry]:
    """The live entries now; `new` when the last successful deployment did not have them."""
    _, deployed = last_success(conn, store_id)
    rows = conn.execute(
        "SELECT e.key, e.version, v.type FROM entries e JOIN entry_versions v "
        "ON v.store_id = e.store_id AND v.key = e.key AND v.version = e.version "
        "WHERE e.store_id = ? AND e.deleted = 0 ORDER BY e.key",
        (store_id,),
    )
    return [
        SnapshotEntry(key, version, EntryType(type_), deployed.get(key) != version)
        for key, version, type_ in rows
    ]


def renewed_snapshot(
    conn: sqlite3.Connection, store_id: str, deployment_id: str
) -> list[SnapshotEntry]:
    """An earlier deployment's key versions, `new` judged against the last success now."""
    _, deployed = last_success(conn, store_id)
    return [
        SnapshotEntry(e.key, e.version, e.type, deployed.get(e.key) != e.version)
        for e in _snapshot(conn, deployment_id)
    ]


def sealed_snapshot(
    conn: sqlite3.Connection, store_id: str, deployment_id: str
) -> list[tuple[str, int, EntryType, bytes]]:
    """(key, version, type, sealed value) of every entry a deployment builds with."""
    rows = conn.execute(
        "SELECT s.key, s.version, v.type, v.sealed FROM deployment_snapshot s "
        "JOIN entry_versions v ON v.store_id = ? AND v.key = s.key AND v.version = s.version "
        "WHERE s.deployment_id = ? ORDER BY s.key",
        (store_id, deployment_id),
    )
    return [(key, version, EntryType(type_), sealed) for key, version, type_, sealed in rows]


def queued(conn: sqlite3.Connection, store_id: str) -> str | None:
    """The oldest deployment of a store still waiting to run."""
    row = conn.execute(
        "SELECT id FROM deployments WHERE store_id = ? AND status = ? ORDER BY seq LIMIT 1",
        (store_id, DeploymentStatus.QUEUED.value),
    ).fetchone()
    return None if row is None else str(row[0])


def stores_with_queued(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT DISTINCT store_id FROM deployments WHERE status = ?",
        (DeploymentStatus.QUEUED.value,),
    )
    return [store_id for (store_id,) in rows]


def load(conn: sqlite3.Connection, store_id: str, deployment_id: str) -> Deployment:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM deployments WHERE id = ? AND store_id = ?",  # noqa: S608
        (deployment_id, store_id),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"Deployment {deployment_id} does not exist in this store.")
    return _deployment(conn, row, with_snapshot=True)


def page(conn: sqlite3.Connection, store_id: str, query: DeploymentQuery) -> DeploymentPage:
    """A page of deployments; items carry their steps but not their snapshot (see `load`)."""
    where = ["store_id = ?"]
    params: list[Any] = [store_id]
    for column, value in (
        ("environment", query.environment),
        ("branch", query.branch),
        ("status", query.status),
    ):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(str(value))
    if query.search.strip():
        where.append(
            "(" + " OR ".join(f"instr(lower({c}), ?) > 0" for c in _SEARCHED_COLUMNS) + ")"
        )
        params += [query.search.strip().lower()] * len(_SEARCHED_COLUMNS)
    # Only constant column names go into the text; every value is a bound parameter.
    condition = " AND ".join(where)
    (total,) = conn.execute(
        f"SELECT count(*) FROM deployments WHERE {condition}",  # noqa: S608
        params,
    ).fetchone()
    direction = "DESC" if query.order is SortOrder.LATEST_FIRST else "ASC"
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM deployments WHERE {condition} "  # noqa: S608
        f"ORDER BY seq {direction} LIMIT ? OFFSET ?",
        [*params, max(0, query.limit), max(0, query.offset)],
    ).fetchall()
    return DeploymentPage(
        items=tuple(_deployment(conn, row, with_snapshot=False) for row in rows),
        total=total,
        offset=query.offset,
        limit=query.limit,
    )


_SEARCHED_COLUMNS = ("id", "commit_sha", "message", "source_author", "author")


def steps_of(conn: sqlite3.Connection, deployment_id: str) -> list[BuildStep]:
    rows = conn.execute(
        "SELECT name, command, optional FROM deployment_steps WHERE deployment_id = ? "
        "ORDER BY position",
        (deployment_id,),
    )
    return [BuildStep(name, tuple(json.loads(command)), bool(opt)) for name, command, opt in rows]


def set_status(
    conn: sqlite3.Connection,
    store_id: str,
    deployment_id: str,
    status: DeploymentStatus,
    error: str = "",
) -> None:
    moment = to_db(now())
    if status is DeploymentStatus.IN_PROGRESS:
        conn.execute(
            "UPDATE deployments SET status = ?, started_at = ? WHERE id = ?",
            (status.value, moment, deployment_id),
        )
    else:
        conn.execute(
            "UPDATE deployments SET status = ?, finished_at = ?, error = ? WHERE id = ?",
            (status.value, moment, error, deployment_id),
        )
        # Steps that never ran will not: they end with the deployment.
        conn.execute(
            "UPDATE deployment_steps SET status = ?, finished_at = ? "
            "WHERE deployment_id = ? AND status IN (?, ?)",
            (
                DeploymentStatus.CANCELED.value,
                moment,
                deployment_id,
                DeploymentStatus.QUEUED.value,
                DeploymentStatus.IN_PROGRESS.value,
            ),
        )
    append_event(conn, store_id, "deployment", deployment_id, status)


def set_step(
    conn: sqlite3.Connection,
    store_id: str,
    deployment_id: str,
    position: int,
    status: DeploymentStatus,
    *,
    log_lines: int = 0,
    error: str = "",
) -> None:
    moment = to_db(now())
    if status is DeploymentStatus.IN_PROGRESS:
        conn.execute(
            "UPDATE deployment_steps SET status = ?, started_at = ? "
            "WHERE deployment_id = ? AND position = ?",
            (status.value, moment, deployment_id, position),
        )
    else:
        conn.execute(
            "UPDATE deployment_steps SET status = ?, finished_at = ?, log_lines = ?, error = ? "
            "WHERE deployment_id = ? AND position = ?",
            (status.value, moment, log_lines, error, deployment_id, position),
        )
    # Watchers refresh the deployment's details on any step change.
    append_event(conn, store_id, "deployment", deployment_id, DeploymentStatus.IN_PROGRESS)


def interrupt_running(conn: sqlite3.Connection) -> list[tuple[str, str, int]]:
    """Mark what a crash left In progress as Failed "interrupted".

    Returns (store id, deployment id, position) of every step that was running, so its log
    can be completed.
    """
    steps = conn.execute(
        "SELECT d.store_id, s.deployment_id, s.position FROM deployment_steps s "
        "JOIN deployments d ON d.id = s.deployment_id "
        "WHERE d.status = ? AND s.status = ?",
        (DeploymentStatus.IN_PROGRESS.value, DeploymentStatus.IN_PROGRESS.value),
    ).fetchall()
    moment = to_db(now())
    conn.execute(
        "UPDATE deployment_steps SET status = ?, finished_at = ?, error = ? WHERE status = ? "
        "AND deployment_id IN (SELECT id FROM deployments WHERE status = ?)",
        (
            DeploymentStatus.FAILED.value,
            moment,
            INTERRUPTED,
            DeploymentStatus.IN_PROGRESS.value,
            DeploymentStatus.IN_PROGRESS.value,
        ),
    )
    running = conn.execute(
        "SELECT store_id, id FROM deployments WHERE status = ?",
        (DeploymentStatus.IN_PROGRESS.value,),
    ).fetchall()
    for store_id, deployment_id in running:
        set_status(conn, store_id, deployment_id, DeploymentStatus.FAILED, INTERRUPTED)
    return steps


def set_log_lines(conn: sqlite3.Connection, deployment_id: str, position: int, count: int) -> None:
    conn.execute(
        "UPDATE deployment_steps SET log_lines = ? WHERE deployment_id = ? AND position = ?",
        (count, deployment_id, position),
    )


def _deployment(conn: sqlite3.Connection, row: Sequence[Any], *, with_snapshot: bool) -> Deployment:
    (
        id_,
        store_id,
        status,
        environment,
        commit_sha,
        branch,
        source_author,
        message,
        author,
        reason,
        created_at,
        started_at,
        finished_at,
        rerun_of,
        error,
    ) = row
    return Deployment(
        id=id_,
        store_id=store_id,
        status=DeploymentStatus(status),
        environment=Environment(environment),
        source=Source(commit=commit_sha, branch=branch, author=source_author, message=message),
        author=author,
        reason=reason,
        created_at=from_db(created_at),
        started_at=optional_from_db(started_at),
        finished_at=optional_from_db(finished_at),
        steps=tuple(_steps(conn, id_)),
        snapshot=tuple(_snapshot(conn, id_)) if with_snapshot else (),
        rerun_of=rerun_of,
        error=error,
    )


def _steps(conn: sqlite3.Connection, deployment_id: str) -> list[StepState]:
    rows = conn.execute(
        "SELECT name, status, started_at, finished_at, log_lines, error FROM deployment_steps "
        "WHERE deployment_id = ? ORDER BY position",
        (deployment_id,),
    )
    return [
        StepState(
            name=name,
            status=DeploymentStatus(status),
            started_at=optional_from_db(started_at),
            finished_at=optional_from_db(finished_at),
            log_lines=log_lines,
            error=error,
        )
        for name, status, started_at, finished_at, log_lines, error in rows
    ]


def _snapshot(conn: sqlite3.Connection, deployment_id: str) -> list[SnapshotEntry]:
    rows = conn.execute(
        "SELECT key, version, type, new FROM deployment_snapshot WHERE deployment_id = ? "
        "ORDER BY key",
        (deployment_id,),
    )
    return [SnapshotEntry(k, v, EntryType(t), bool(new)) for k, v, t, new in rows]


def last_success(conn: sqlite3.Connection, store_id: str) -> tuple[str | None, dict[str, int]]:
    """The id of the last deployment that succeeded (the one live now) and its key versions."""
    row = conn.execute(
        "SELECT id FROM deployments WHERE store_id = ? AND status = ? "
        "ORDER BY finished_at DESC, seq DESC LIMIT 1",
        (store_id, DeploymentStatus.SUCCESS.value),
    ).fetchone()
    if row is None:
        return None, {}
    versions = conn.execute(
        "SELECT key, version FROM deployment_snapshot WHERE deployment_id = ?", (row[0],)
    ).fetchall()
    return str(row[0]), dict(versions)
