"""Listing entries reuses the entries listed before when their version has not moved: what
another instance changed in the same data folder is read again."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from faststore_desktop.core import changeset
from faststore_desktop.core.changeset import ChangeSet
from faststore_desktop.core.entries import EntryType
from faststore_desktop.webops.local.ownership import FolderLock
from faststore_desktop.webops.local.service import LocalWebOps
from faststore_desktop.webops.models import StoreConfig


@pytest.mark.asyncio
async def test_listing_sees_changes_made_by_another_instance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = secrets.token_bytes(32)
    first = await LocalWebOps.open(tmp_path, key, actor="ana")
    # The folder lock keeps a second owner out; a writer that does not take it (an older app)
    # could still change the database under the first, so the listing must not trust its cache.
    acquire = FolderLock.acquire
    monkeypatch.setattr(FolderLock, "acquire", staticmethod(lambda _: acquire(tmp_path / "b")))
    second = await LocalWebOps.open(tmp_path, key, actor="bo")
    try:
        store = await first.create_store(StoreConfig(name="Shared"))
        await first.apply(
            store.id,
            ChangeSet(
                [
                    changeset.create("GREETING", EntryType.TEXT, "hello"),
                    changeset.create("GONE", EntryType.TEXT, "soon deleted"),
                    changeset.create("TOKEN", EntryType.SECRET, "s3cret-value"),
                ]
            ),
            idempotency_key="seed",
        )
        before = {entry.key: entry for entry in await first.list_entries(store.id)}
        assert before["GREETING"].value == "hello"

        await second.update_entry(store.id, "GREETING", "bonjour", expected_version=1)
        await second.delete_entry(store.id, "GONE", expected_version=1)
        await second.rollback_entry(store.id, "GREETING", 1, expected_version=2)
        after = {entry.key: entry for entry in await first.list_entries(store.id)}

        assert set(after) == {"GREETING", "TOKEN"}
        assert (after["GREETING"].version, after["GREETING"].value) == (3, "hello")
        assert after["GREETING"].author == "bo"
        assert after["TOKEN"] is before["TOKEN"]  # unchanged: reused, still without a value
        assert after["TOKEN"].value is None
        assert list(after.values()) == list(await second.list_entries(store.id))
    finally:
        await second.close()
        await first.close()


@pytest.mark.asyncio
async def test_views_acting_as_other_people_share_the_listing(tmp_path: Path) -> None:
    webops = await LocalWebOps.open(tmp_path, secrets.token_bytes(32), actor="server")
    try:
        store = await webops.create_store(StoreConfig(name="Shared"))
        await webops.with_actor("ana").create_entry(store.id, "GREETING", EntryType.TEXT, "hi")
        first = await webops.with_actor("ana").list_entries(store.id)
        again = await webops.with_actor("bo").list_entries(store.id)

        assert again[0] is first[0]  # not decrypted again for another caller
        assert again[0].author == "ana"
    finally:
        await webops.close()
