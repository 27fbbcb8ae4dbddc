"""Stores (projects) of the embedded WebOps and their configuration, kept as JSON."""

from __future__ import annotations

import json
import secrets
import sqlite3
from typing import Any

from faststore_desktop.webops.errors import NotFoundError, ValidationError
from faststore_desktop.webops.local import idempotency
from faststore_desktop.webops.local.journal import append_audit
from faststore_desktop.webops.local.timestamps import from_db, now, to_db
from faststore_desktop.webops.models import BuildStep, Store, StoreConfig


def create_store(
    conn: sqlite3.Connection,
    config: StoreConfig,
    actor: str,
    *,
    idempotency_key: str | None = None,
    request: str = "",
) -> Store:
    """A new store; a repeated `idempotency_key` (with its `request` digest) returns the store
    the first request created instead of creating another."""
    _check(config)
    replayed = idempotency.recall(conn, idempotency.NO_STORE, idempotency_key, request)
    if replayed is not None:
        return _replayed(conn, replayed)
    store = Store(id=secrets.token_hex(6), config=config, created_at=now())
    conn.execute(
        "INSERT INTO stores (id, config, created_at) VALUES (?, ?, ?)",
        (store.id, encode_config(config), to_db(store.created_at)),
    )
    append_audit(conn, store.id, actor, [("store.create", None, config.name)])
    idempotency.remember(conn, idempotency.NO_STORE, idempotency_key, request, _result(store))
    return store


def configure_store(
    conn: sqlite3.Connection,
    store_id: str,
    config: StoreConfig,
    actor: str,
    *,
    idempotency_key: str | None = None,
    request: str = "",
) -> Store:
    """New settings for a store; a repeated `idempotency_key` returns the first answer (the
    settings it wrote), without writing them again over a later change."""
    _check(config)
    store = get_store(conn, store_id)
    replayed = idempotency.recall(conn, store_id, idempotency_key, request)
    if replayed is not None:
        return _replayed(conn, replayed)
    conn.execute("UPDATE stores SET config = ? WHERE id = ?", (encode_config(config), store_id))
    append_audit(conn, store_id, actor, [("store.configure", None, config.name)])
    configured = Store(id=store_id, config=config, created_at=store.created_at)
    idempotency.remember(conn, store_id, idempotency_key, request, _result(configured))
    return configured


def get_store(conn: sqlite3.Connection, store_id: str) -> Store:
    row = conn.execute(
        "SELECT id, config, created_at FROM stores WHERE id = ?", (store_id,)
    ).fetchone()
    if row is None:
        raise NotFoundError("This store does not exist (it may have been removed).")
    return _store(*row)


def list_stores(conn: sqlite3.Connection) -> list[Store]:
    rows = conn.execute("SELECT id, config, created_at FROM stores").fetchall()
    return sorted((_store(*row) for row in rows), key=lambda s: (s.config.name.lower(), s.id))


def encode_config(config: StoreConfig) -> str:
    return json.dumps(
        {
            "name": config.name,
            "vtex_account": config.vtex_account,
            "folder": config.folder,
            "production_branch": config.production_branch,
            "build_steps": [
                {"name": s.name, "command": list(s.command), "optional": s.optional}
                for s in config.build_steps
            ],
            "client_output": list(config.client_output),
        }
    )


def decode_config(text: str) -> StoreConfig:
    data: dict[str, Any] = json.loads(text)
    return StoreConfig(
        name=data["name"],
        vtex_account=data["vtex_account"],
        folder=data["folder"],
        production_branch=data["production_branch"],
        build_steps=tuple(
            BuildStep(s["name"], tuple(s["command"]), s["optional"]) for s in data["build_steps"]
        ),
        client_output=tuple(data["client_output"]),
    )


def _result(store: Store) -> dict[str, str]:
    """An idempotency record's result: the store's id and the settings answered (never a value:
    a store's settings hold none)."""
    return {"store": store.id, "config": encode_config(store.config)}


def _replayed(conn: sqlite3.Connection, stored: dict[str, str]) -> Store:
    store = get_store(conn, stored["store"])
    return Store(id=store.id, config=decode_config(stored["config"]), created_at=store.created_at)


def _store(id_: str, config: str, created_at: str) -> Store:
    return Store(id=id_, config=decode_config(config), created_at=from_db(created_at))


def _check(config: StoreConfig) -> None:
    if not config.name.strip():
        raise ValidationError("A store needs a name.")
    names = [step.name for step in config.build_steps]
    if len(set(names)) != len(names):
        raise ValidationError("Two build steps have the same name; give each its own.")
    if any(not step.command for step in config.build_steps):
        raise ValidationError("Every build step needs a command.")
