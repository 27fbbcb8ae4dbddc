"""Idempotency keys: a repeated request returns what the first one did, without doing it again.

A record holds a keyed digest of the request (so reusing a key for a different request is caught)
and the result as references (keys and versions, a deployment or store id, a store's settings):
never a value. Every mutation of the protocol that takes a key records it here: entries, change
sets and rollbacks, creating and configuring a store, creating, rerunning and cancelling a
deployment. A record is found by its store and key; the digest covers the operation and who asked
(the token's owner on a server), so one principal's key never answers another's request.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from typing import Any

from faststore_desktop.webops.errors import ConflictError
from faststore_desktop.webops.local.crypto import ValueCipher
from faststore_desktop.webops.local.timestamps import now, to_db

#: Long past any client's retries; older records are dropped when the store is opened.
KEPT_FOR = timedelta(days=30)
#: The store of the records of requests that name no existing store (creating one).
NO_STORE = ""


def digest(cipher: ValueCipher, operation: str, actor: str, material: object) -> str:
    """What a record keeps of its request: a keyed digest of the operation, who asked and what."""
    return cipher.digest(json.dumps([operation, actor, material]).encode("utf-8"))


def recall(
    conn: sqlite3.Connection, store_id: str, idempotency_key: str | None, request: str
) -> Any:
    """The stored result of an earlier request with this key, or None when there was none."""
    if idempotency_key is None:
        return None
    row = conn.execute(
        "SELECT request, result FROM idempotency WHERE store_id = ? AND idem_key = ?",
        (store_id, idempotency_key),
    ).fetchone()
    if row is None:
        return None
    if row[0] != request:
        raise ConflictError(
            "This request reuses the idempotency key of a different request; "
            "send it again with a new key."
        )
    return json.loads(row[1])


def remember(
    conn: sqlite3.Connection,
    store_id: str,
    idempotency_key: str | None,
    request: str,
    result: Any,
) -> None:
    if idempotency_key is None:
        return
    conn.execute(
        "INSERT INTO idempotency (store_id, idem_key, request, result, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (store_id, idempotency_key, request, json.dumps(result), to_db(now())),
    )


def forget_old(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM idempotency WHERE created_at < ?", (to_db(now() - KEPT_FOR),))
