"""Schema migrations of the embedded store, applied in order; `PRAGMA user_version` counts them.

Append a new script for every change; never edit one that has shipped.
"""

from __future__ import annotations

_V1 = """
CREATE TABLE meta (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE stores (
    id TEXT PRIMARY KEY,
    config TEXT NOT NULL,
    created_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE entries (
    store_id TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (store_id, key)
) WITHOUT ROWID;

CREATE TABLE entry_versions (
    store_id TEXT NOT NULL,
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    type TEXT NOT NULL,
    action TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sealed BLOB,
    fingerprint TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (store_id, key, version),
    FOREIGN KEY (store_id, key) REFERENCES entries(store_id, key) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    key TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_store ON audit(store_id, id);

CREATE TABLE idempotency (
    store_id TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    idem_key TEXT NOT NULL,
    request TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (store_id, idem_key)
) WITHOUT ROWID;

CREATE TABLE events (
    store_id TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    deployment_id TEXT,
    status TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (store_id, seq)
) WITHOUT ROWID;

CREATE TABLE deployments (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    status TEXT NOT NULL,
    environment TEXT NOT NULL,
    commit_sha TEXT NOT NULL,
    branch TEXT NOT NULL,
    source_author TEXT NOT NULL,
    message TEXT NOT NULL,
    author TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    rerun_of TEXT,
    error TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE UNIQUE INDEX deployments_by_store ON deployments(store_id, seq);

CREATE TABLE deployment_steps (
    deployment_id TEXT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    command TEXT NOT NULL,
    optional INTEGER NOT NULL,
    status TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    log_lines INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (deployment_id, position)
) WITHOUT ROWID;

CREATE TABLE deployment_snapshot (
    deployment_id TEXT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    type TEXT NOT NULL,
    new INTEGER NOT NULL,
    PRIMARY KEY (deployment_id, key)
) WITHOUT ROWID
"""

#: Idempotency records of requests that are not about an existing store (creating one) have no
#: store to point at: the records lose their foreign key and such a record has store_id ''.
#: Stores are never removed, so the cascade never fired; old records are dropped by age.
_V2 = """
CREATE TABLE idempotency_v2 (
    store_id TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (store_id, idem_key)
) WITHOUT ROWID;

INSERT INTO idempotency_v2 (store_id, idem_key, request, result, created_at)
    SELECT store_id, idem_key, request, result, created_at FROM idempotency;

DROP TABLE idempotency;

ALTER TABLE idempotency_v2 RENAME TO idempotency
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2)
