"""Entries through the protocol: CRUD, secrets never returned, conflicts, validation."""

from __future__ import annotations

import pytest

from faststore_desktop.core.entries import EntryType
from faststore_desktop.webops.errors import ConflictError, NotFoundError, ValidationError
from faststore_desktop.webops.models import Store
from faststore_desktop.webops.protocol import WebOps


@pytest.mark.asyncio
async def test_text_entry_round_trip(webops: WebOps, store: Store, actor: str) -> None:
    created = await webops.create_entry(store.id, "VTEX_ACCOUNT", EntryType.TEXT, "storeframework")

    assert (created.key, created.type, created.value, created.version) == (
        "VTEX_ACCOUNT",
        EntryType.TEXT,
        "storeframework",
        1,
    )
    assert created.author == actor
    fetched = await webops.get_entry(store.id, "VTEX_ACCOUNT")
    assert fetched.value == "storeframework"
    assert fetched.version == 1


@pytest.mark.asyncio
async def test_secret_value_is_never_returned(webops: WebOps, store: Store) -> None:
    created = await webops.create_entry(
        store.id, "FS_DISCOVERY_APP_TOKEN", EntryType.SECRET, "s3cr3t-token-value"
    )

    assert created.value is None
    assert (await webops.get_entry(store.id, "FS_DISCOVERY_APP_TOKEN")).value is None
    listed = await webops.list_entries(store.id)
    assert [(e.key, e.value) for e in listed] == [("FS_DISCOVERY_APP_TOKEN", None)]
    history = await webops.entry_history(store.id, "FS_DISCOVERY_APP_TOKEN")
    assert [v.value for v in history] == [None]
    assert history[0].fingerprint


@pytest.mark.asyncio
async def test_list_is_ordered_by_key(webops: WebOps, store: Store) -> None:
    for key in ("ZED", "ALPHA", "MIDDLE"):
        await webops.create_entry(store.id, key, EntryType.TEXT, key.lower())

    assert [e.key for e in await webops.list_entries(store.id)] == ["ALPHA", "MIDDLE", "ZED"]


@pytest.mark.asyncio
async def test_update_bumps_the_version_and_can_change_the_type(
    webops: WebOps, store: Store
) -> None:
    await webops.create_entry(store.id, "API_URL", EntryType.TEXT, "https://a.example")

    updated = await webops.update_entry(
        store.id, "API_URL", "https://b.example", expected_version=1
    )
    assert (updated.version, updated.value, updated.type) == (
        2,
        "https://b.example",
        EntryType.TEXT,
    )
    hidden = await webops.update_entry(
        store.id, "API_URL", "https://c.example", expected_version=2, type=EntryType.SECRET
    )
    assert (hidden.version, hidden.value, hidden.type) == (3, None, EntryType.SECRET)


@pytest.mark.asyncio
async def test_stale_update_is_a_conflict_naming_the_key(webops: WebOps, store: Store) -> None:
    await webops.create_entry(store.id, "API_URL", EntryType.TEXT, "one")
    await webops.update_entry(store.id, "API_URL", "two", expected_version=1)

    with pytest.raises(ConflictError) as caught:
        await webops.update_entry(store.id, "API_URL", "three", expected_version=1)

    assert caught.value.key == "API_URL"
    assert caught.value.current_version == 2
    assert "API_URL" in caught.value.message
    assert (await webops.get_entry(store.id, "API_URL")).value == "two"


@pytest.mark.asyncio
async def test_creating_an_existing_key_is_a_conflict(webops: WebOps, store: Store) -> None:
    await webops.create_entry(store.id, "API_URL", EntryType.TEXT, "one")

    with pytest.raises(ConflictError) as caught:
        await webops.create_entry(store.id, "API_URL", EntryType.TEXT, "two")
    assert caught.value.key == "API_URL"


@pytest.mark.asyncio
async def test_delete_removes_the_entry_and_keeps_its_history(webops: WebOps, store: Store) -> None:
    await webops.create_entry(store.id, "OLD_FLAG", EntryType.TEXT, "on")

    await webops.delete_entry(store.id, "OLD_FLAG", expected_version=1)

    assert await webops.list_entries(store.id) == []
    with pytest.raises(NotFoundError):
        await webops.get_entry(store.id, "OLD_FLAG")
    history = await webops.entry_history(store.id, "OLD_FLAG")
    assert [(v.version, v.action) for v in history] == [(2, "delete"), (1, "create")]


@pytest.mark.asyncio
async def test_a_deleted_key_can_be_created_again(webops: WebOps, store: Store) -> None:
    await webops.create_entry(store.id, "FLAG", EntryType.TEXT, "on")
    await webops.delete_entry(store.id, "FLAG", expected_version=1)

    again = await webops.create_entry(store.id, "FLAG", EntryType.SECRET, "back")

    assert (again.version, again.type) == (3, EntryType.SECRET)


@pytest.mark.asyncio
async def test_stale_delete_is_a_conflict(webops: WebOps, store: Store) -> None:
    await webops.create_entry(store.id, "FLAG", EntryType.TEXT, "on")
    await webops.update_entry(store.id, "FLAG", "off", expected_version=1)

    with pytest.raises(ConflictError):
        await webops.delete_entry(store.id, "FLAG", expected_version=1)
    assert (await webops.get_entry(store.id, "FLAG")).value == "off"


@pytest.mark.asyncio
async def test_missing_key_and_store_are_not_found(webops: WebOps, store: Store) -> None:
    with pytest.raises(NotFoundError):
        await webops.get_entry(store.id, "NOPE")
    with pytest.raises(NotFoundError):
        await webops.update_entry(store.id, "NOPE", "x", expected_version=1)
    with pytest.raises(NotFoundError):
        await webops.list_entries("no-such-store")


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("key", "type_", "code"),
    [
        ("1BAD", EntryType.TEXT, "key-invalid"),
        ("PATH", EntryType.TEXT, "key-reserved"),
        ("NEXT_PUBLIC_API_TOKEN", EntryType.SECRET, "next-public-secret"),
    ],
)
async def test_rule_errors_are_rejected_with_findings(
    webops: WebOps, store: Store, key: str, type_: EntryType, code: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        await webops.create_entry(store.id, key, type_, "value")

    assert code in [finding.code for finding in caught.value.findings]
    assert await webops.list_entries(store.id) == []


@pytest.mark.asyncio
async def test_warnings_do_not_block_saving(webops: WebOps, store: Store) -> None:
    entry = await webops.create_entry(store.id, "GREETING", EntryType.TEXT, " padded ")

    assert entry.value == " padded "


@pytest.mark.asyncio
async def test_validation_error_message_never_holds_the_value(webops: WebOps, store: Store) -> None:
    value = "canary-" + "x" * (70 * 1024)
    with pytest.raises(ValidationError) as caught:
        await webops.create_entry(store.id, "BIG", EntryType.SECRET, value)

    assert "canary-" not in caught.value.message
    assert "canary-" not in repr(caught.value.findings)


@pytest.mark.asyncio
async def test_a_value_pasted_as_a_key_is_not_repeated_in_the_message(
    webops: WebOps, store: Store
) -> None:
    with pytest.raises(ValidationError) as caught:
        await webops.create_entry(store.id, "sk live canary-51H", EntryType.SECRET, "x")

    assert "canary-" not in caught.value.message
    assert "key-invalid" in [finding.code for finding in caught.value.findings]
