"""Stores full of entries, made through the protocol as a user's app would make them."""

from __future__ import annotations

import secrets
from pathlib import Path

from faststore_desktop.core import changeset
from faststore_desktop.core.changeset import ChangeSet
from faststore_desktop.core.entries import EntryType
from faststore_desktop.webops.local.service import LocalWebOps
from faststore_desktop.webops.models import Store, StoreConfig
from faststore_desktop.webops.protocol import WebOps

ACTOR = "bench"
#: The server refuses larger change sets by default; seeding stays under it for both backends.
SEED_BATCH = 5_000


def entry_key(index: int, prefix: str = "BENCH") -> str:
    return f"{prefix}_{index:05d}"


def entry_creates(count: int, prefix: str = "BENCH") -> ChangeSet:
    """`count` creates; one in four is a secret, values are short random strings."""
    return ChangeSet(
        changeset.create(
            entry_key(index, prefix),
            EntryType.SECRET if index % 4 == 0 else EntryType.TEXT,
            f"value-{index}-{secrets.token_hex(8)}",
        )
        for index in range(count)
    )


async def open_local(data_dir: Path, data_key: bytes | None = None) -> LocalWebOps:
    return await LocalWebOps.open(data_dir, data_key or secrets.token_bytes(32), actor=ACTOR)


async def seeded_store(webops: WebOps, name: str, count: int, folder: str = "") -> Store:
    store = await webops.create_store(StoreConfig(name=name, folder=folder))
    await add_entries(webops, store, entry_creates(count))
    return store


async def add_entries(webops: WebOps, store: Store, entries: ChangeSet) -> None:
    operations = entries.operations
    for start in range(0, len(operations), SEED_BATCH):
        batch = ChangeSet(operations[start : start + SEED_BATCH])
        await webops.apply(store.id, batch, idempotency_key=secrets.token_hex(16))
