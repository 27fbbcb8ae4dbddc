"""Change sets, idempotency, history, rollback, audit, stores and the event feed."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from faststore_desktop.core import changeset
from faststore_desktop.core.changeset import ChangeSet
from faststore_desktop.core.entries import EntryType
from faststore_desktop.webops.errors import (
    ConflictError,
    NotFoundError,
    ValidationError,
    WebOpsError,
)
from faststore_desktop.webops.models import BuildStep, Store, StoreConfig
from faststore_desktop.webops.protocol import WebOps


async def _seed(webops: WebOps, store: Store) -> None:
    await webops.apply(
        store.id,
        ChangeSet(
            [
                changeset.create("A", EntryType.TEXT, "a1"),
                changeset.create("B", EntryType.SECRET, "b1-secret"),
            ]
        ),
        idempotency_key="seed",
    )


@pytest.mark.asyncio
async def test_apply_creates_updates_and_deletes_together(webops: WebOps, store: Store) -> None:
    await _seed(webops, store)

    result = await webops.apply(
        store.id,
        ChangeSet(
            [
                changeset.update("A", "a2", expected_version=1),
                changeset.delete("B", expected_version=1),
                changeset.create("C", EntryType.TEXT, "c1"),
            ]
        ),
        idempotency_key="batch-1",
    )

    assert [(e.key, e.version, e.value) for e in result.entries] == [("A", 2, "a2"), ("C", 1, "c1")]
    assert result.deleted == ("B",)
    assert not result.replayed
    assert [(e.key, e.value) for e in await webops.list_entries(store.id)] == [
        ("A", "a2"),
        ("C", "c1"),
    ]


@pytest.mark.asyncio
async def test_apply_is_all_or_nothing_on_a_conflict(webops: WebOps, store: Store) -> None:
    await _seed(webops, store)
    before = await webops.list_entries(store.id)

    with pytest.raises(ConflictError) as caught:
        await webops.apply(
            store.id,
            ChangeSet(
                [
                    changeset.create("NEW_ONE", EntryType.TEXT, "n"),
                    changeset.update("A", "a2", expected_version=1),
                    changeset.update("B", "b2", expected_version=7),
                ]
            ),
            idempotency_key="stale",
        )

    assert caught.value.key == "B"
    assert await webops.list_entries(store.id) == before
    # A failed apply is not remembered: the same key may be used once the conflict is fixed.
    retried = await webops.apply(
        store.id,
        ChangeSet([changeset.update("B", "b2", expected_version=1)]),
        idempotency_key="stale-fixed",
    )
    assert retried.entries[0].version == 2


@pytest.mark.asyncio
async def test_apply_is_all_or_nothing_on_a_rule_error(webops: WebOps, store: Store) -> None:
    with pytest.raises(ValidationError) as caught:
        await webops.apply(
            store.id,
            ChangeSet(
                [
                    changeset.create("GOOD", EntryType.TEXT, "fine"),
                    changeset.create("bad key", EntryType.TEXT, "x"),
                ]
            ),
            idempotency_key="rules",
        )

    assert [f.key for f in caught.value.findings] == ["bad key"]
    assert await webops.list_entries(store.id) == []


@pytest.mark.asyncio
async def test_case_clash_inside_one_change_set_is_rejected(webops: WebOps, store: Store) -> None:
    with pytest.raises(ValidationError):
        await webops.apply(
            store.id,
            ChangeSet(
                [
                    changeset.create("API_KEY", EntryType.SECRET, "x1"),
                    changeset.create("api_key", EntryType.SECRET, "x2"),
                ]
            ),
            idempotency_key="clash",
        )


@pytest.mark.asyncio
async def test_repeated_idempotency_key_replays_the_first_result(
    webops: WebOps, store: Store
) -> None:
    changes = ChangeSet([changeset.create("ONCE", EntryType.TEXT, "v")])

    first = await webops.apply(store.id, changes, idempotency_key="k-1")
    second = await webops.apply(store.id, changes, idempotency_key="k-1")

    assert not first.replayed
    assert second.replayed
    assert [(e.key, e.version, e.value) for e in second.entries] == [("ONCE", 1, "v")]
    history = await webops.entry_history(store.id, "ONCE")
    assert len(history) == 1


@pytest.mark.asyncio
async def test_single_entry_calls_are_idempotent_too(webops: WebOps, store: Store) -> None:
    created = await webops.create_entry(
        store.id, "X", EntryType.TEXT, "1", idempotency_key="create-x"
    )
    again = await webops.create_entry(
        store.id, "X", EntryType.TEXT, "1", idempotency_key="create-x"
    )
    updated = await webops.update_entry(
        store.id, "X", "2", expected_version=1, idempotency_key="update-x"
    )
    updated_again = await webops.update_entry(
        store.id, "X", "2", expected_version=1, idempotency_key="update-x"
    )
    await webops.delete_entry(store.id, "X", expected_version=2, idempotency_key="delete-x")
    await webops.delete_entry(store.id, "X", expected_version=2, idempotency_key="delete-x")

    assert again.version == created.version == 1
    assert updated_again.version == updated.version == 2
    assert len(await webops.entry_history(store.id, "X")) == 3


@pytest.mark.asyncio
async def test_reusing_an_idempotency_key_for_another_change_is_refused(
    webops: WebOps, store: Store
) -> None:
    await webops.apply(
        store.id, ChangeSet([changeset.create("ONE", EntryType.TEXT, "1")]), idempotency_key="k"
    )
    with pytest.raises(ConflictError):
        await webops.apply(
            store.id,
            ChangeSet([changeset.create("TWO", EntryType.TEXT, "2")]),
            idempotency_key="k",
        )


@pytest.mark.asyncio
async def test_concurrent_applies_on_one_version_let_exactly_one_win(
    webops: WebOps, store: Store
) -> None:
    await _seed(webops, store)

    outcomes = await asyncio.gather(
        *(webops.update_entry(store.id, "A", f"v{i}", expected_version=1) for i in range(5)),
        return_exceptions=True,
    )

    assert sum(not isinstance(o, BaseException) for o in outcomes) == 1
    assert all(isinstance(o, ConflictError) for o in outcomes if isinstance(o, BaseException))
    assert (await webops.get_entry(store.id, "A")).version == 2


@pytest.mark.asyncio
async def test_history_is_newest_first_with_text_values_and_fingerprints(
    webops: WebOps, store: Store, actor: str
) -> None:
    await webops.create_entry(store.id, "URL", EntryType.TEXT, "one")
    await webops.update_entry(store.id, "URL", "two", expected_version=1)
    await webops.update_entry(store.id, "URL", "one", expected_version=2)

    history = await webops.entry_history(store.id, "URL")

    assert [(v.version, v.action, v.value) for v in history] == [
        (3, "update", "one"),
        (2, "update", "two"),
        (1, "create", "one"),
    ]
    assert history[0].fingerprint == history[2].fingerprint != history[1].fingerprint
    assert {v.author for v in history} == {actor}
    with pytest.raises(NotFoundError):
        await webops.entry_history(store.id, "NEVER")


@pytest.mark.asyncio
async def test_rollback_makes_a_new_version_equal_to_an_old_one(
    webops: WebOps, store: Store
) -> None:
    await webops.create_entry(store.id, "TOKEN", EntryType.SECRET, "first-secret")
    await webops.update_entry(store.id, "TOKEN", "second-secret", expected_version=1)

    restored = await webops.rollback_entry(store.id, "TOKEN", 1, expected_version=2)

    assert (restored.version, restored.value, restored.type) == (3, None, EntryType.SECRET)
    history = await webops.entry_history(store.id, "TOKEN")
    assert history[0].action == "rollback"
    assert history[0].fingerprint == history[2].fingerprint


@pytest.mark.asyncio
async def test_rollback_restores_a_deleted_key(webops: WebOps, store: Store) -> None:
    await webops.create_entry(store.id, "GONE", EntryType.TEXT, "kept")
    await webops.delete_entry(store.id, "GONE", expected_version=1)

    restored = await webops.rollback_entry(store.id, "GONE", 1, expected_version=2)

    assert (restored.version, restored.value) == (3, "kept")
    assert (await webops.get_entry(store.id, "GONE")).value == "kept"


@pytest.mark.asyncio
async def test_rollback_checks_the_expected_version_and_refuses_a_deletion(
    webops: WebOps, store: Store
) -> None:
    await webops.create_entry(store.id, "K", EntryType.TEXT, "1")
    await webops.update_entry(store.id, "K", "2", expected_version=1)
    with pytest.raises(ConflictError):
        await webops.rollback_entry(store.id, "K", 1, expected_version=1)
    await webops.delete_entry(store.id, "K", expected_version=2)
    with pytest.raises(ValidationError):
        await webops.rollback_entry(store.id, "K", 3, expected_version=3)
    with pytest.raises(NotFoundError):
        await webops.rollback_entry(store.id, "K", 9, expected_version=None)


@pytest.mark.asyncio
async def test_audit_trail_says_who_did_what_without_values(
    webops: WebOps, store: Store, actor: str
) -> None:
    await webops.create_entry(store.id, "SECRET_ONE", EntryType.SECRET, "audit-canary-value")
    await webops.update_entry(store.id, "SECRET_ONE", "audit-canary-value-2", expected_version=1)
    await webops.delete_entry(store.id, "SECRET_ONE", expected_version=2)
    await webops.rollback_entry(store.id, "SECRET_ONE", 1, expected_version=3)

    records = await webops.audit_trail(store.id)

    entry_records = [(r.action, r.key) for r in records if r.action.startswith("entry.")]
    assert entry_records == [
        ("entry.rollback", "SECRET_ONE"),
        ("entry.delete", "SECRET_ONE"),
        ("entry.update", "SECRET_ONE"),
        ("entry.create", "SECRET_ONE"),
    ]
    assert {r.actor for r in records} == {actor}
    assert not any("audit-canary" in f"{r.detail} {r.key} {r.action}" for r in records)
    assert [r.id for r in records] == sorted((r.id for r in records), reverse=True)
    page = await webops.audit_trail(store.id, offset=1, limit=2)
    assert [r.id for r in page] == [r.id for r in records[1:3]]


@pytest.mark.asyncio
async def test_stores_are_created_listed_and_configured(webops: WebOps, store: Store) -> None:
    other = await webops.create_store(StoreConfig(name="Another", vtex_account="acme"))

    assert {s.id for s in await webops.list_stores()} >= {store.id, other.id}
    config = replace(
        other.config,
        production_branch="release",
        build_steps=(BuildStep("Build", ("npm", "run", "build")),),
        client_output=(".next/static", "public"),
    )
    configured = await webops.configure_store(other.id, config)
    assert configured.config == config
    assert (await webops.get_store(other.id)).config == config
    with pytest.raises(NotFoundError):
        await webops.get_store("missing")
    with pytest.raises(ValidationError):
        await webops.create_store(StoreConfig(name="  "))


@pytest.mark.asyncio
async def test_create_store_with_an_idempotency_key_creates_one(webops: WebOps) -> None:
    config = StoreConfig(name="Once", vtex_account="acme")

    first = await webops.create_store(config, idempotency_key="store-1")
    again = await webops.create_store(config, idempotency_key="store-1")
    with pytest.raises(ConflictError, match="idempotency key of a different request"):
        await webops.create_store(replace(config, name="Other"), idempotency_key="store-1")

    assert again == first
    assert [s.id for s in await webops.list_stores()] == [first.id]
    created = [r for r in await webops.audit_trail(first.id) if r.action == "store.create"]
    assert len(created) == 1


@pytest.mark.asyncio
async def test_configure_store_with_an_idempotency_key_writes_once(
    webops: WebOps, store: Store
) -> None:
    mine = replace(store.config, production_branch="release")
    later = replace(store.config, production_branch="main-2")

    first = await webops.configure_store(store.id, mine, idempotency_key="configure-1")
    again = await webops.configure_store(store.id, mine, idempotency_key="configure-1")
    await webops.configure_store(store.id, later, idempotency_key="configure-2")
    # A retry arriving after someone else's change answers what it did, and undoes nothing.
    late_retry = await webops.configure_store(store.id, mine, idempotency_key="configure-1")
    with pytest.raises(ConflictError):
        await webops.configure_store(store.id, later, idempotency_key="configure-1")

    assert first == again == late_retry and first.config == mine
    assert (await webops.get_store(store.id)).config == later
    configured = [r for r in await webops.audit_trail(store.id) if r.action == "store.configure"]
    assert len(configured) == 2


@pytest.mark.asyncio
async def test_entries_of_one_store_are_not_seen_in_another(webops: WebOps, store: Store) -> None:
    other = await webops.create_store(StoreConfig(name="Other"))
    await webops.create_entry(store.id, "ONLY_HERE", EntryType.TEXT, "x")

    assert await webops.list_entries(other.id) == []


@pytest.mark.asyncio
async def test_watch_reports_entry_changes_and_resumes_after_a_seq(
    webops: WebOps, store: Store
) -> None:
    events = webops.watch(store.id)
    await webops.create_entry(store.id, "W", EntryType.TEXT, "1")
    first = await asyncio.wait_for(anext(events), 10)
    await webops.update_entry(store.id, "W", "2", expected_version=1)
    second = await asyncio.wait_for(anext(events), 10)
    await events.aclose()  # type: ignore[attr-defined]

    assert (first.kind, second.kind) == ("entries", "entries")
    assert second.seq > first.seq
    resumed = webops.watch(store.id, after=first.seq)
    again = await asyncio.wait_for(anext(resumed), 10)
    await resumed.aclose()  # type: ignore[attr-defined]
    assert again.seq == second.seq


@pytest.mark.asyncio
async def test_errors_carry_user_facing_messages(webops: WebOps, store: Store) -> None:
    with pytest.raises(WebOpsError) as caught:
        await webops.get_entry(store.id, "MISSING_KEY")
    assert "MISSING_KEY" in caught.value.message
    assert caught.value.code == "not-found"
