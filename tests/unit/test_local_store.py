"""The embedded store on disk: reopening, schema versions, the data key check, robustness."""

from __future__ import annotations

import asyncio
import secrets
import sqlite3
from collections.abc import Mapping
from pathlib import Path

import pytest

from faststore_desktop.core import changeset
from faststore_desktop.core.changeset import ChangeSet
from faststore_desktop.core.entries import EntryType
from faststore_desktop.webops.errors import ConflictError
from faststore_desktop.webops.local.crypto import DataKeyMismatchError
from faststore_desktop.webops.local.db import IncompatibleDatabaseError
from faststore_desktop.webops.local.deployments import REAL_TOOLS, BuildTools
from faststore_desktop.webops.local.runner import StepResult
from faststore_desktop.webops.local.schema import MIGRATIONS
from faststore_desktop.webops.local.service import DATABASE_NAME, LocalWebOps
from faststore_desktop.webops.models import BuildStep, DeploymentStatus, StoreConfig


@pytest.mark.asyncio
async def test_data_survives_reopening_and_replays_still_work(tmp_path: Path) -> None:
    key = secrets.token_bytes(32)
    first = await LocalWebOps.open(tmp_path, key, actor="a")
    store = await first.create_store(StoreConfig(name="S"))
    changes = ChangeSet([changeset.create("K", EntryType.TEXT, "v")])
    await first.apply(store.id, changes, idempotency_key="once")
    await first.close()

    second = await LocalWebOps.open(tmp_path, key, actor="a")
    try:
        assert [(e.key, e.value) for e in await second.list_entries(store.id)] == [("K", "v")]
        replay = await second.apply(store.id, changes, idempotency_key="once")
        assert replay.replayed
        assert replay.entries[0].author == "a"
        # A key is its principal's: another one reusing it is refused, not given a's result.
        with pytest.raises(ConflictError):
            await second.with_actor("b").apply(store.id, changes, idempotency_key="once")
    finally:
        await second.close()


@pytest.mark.asyncio
async def test_another_data_key_is_refused_on_open(tmp_path: Path) -> None:
    webops = await LocalWebOps.open(tmp_path, secrets.token_bytes(32), actor="a")
    await webops.close()

    with pytest.raises(DataKeyMismatchError) as caught:
        await LocalWebOps.open(tmp_path, secrets.token_bytes(32), actor="a")
    assert "another data key" in caught.value.message


@pytest.mark.asyncio
async def test_database_uses_wal_foreign_keys_and_the_latest_schema(tmp_path: Path) -> None:
    webops = await LocalWebOps.open(tmp_path, secrets.token_bytes(32), actor="a")
    await webops.close()

    with sqlite3.connect(tmp_path / DATABASE_NAME) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    conn.close()


@pytest.mark.asyncio
async def test_a_database_from_a_newer_app_is_refused(tmp_path: Path) -> None:
    webops = await LocalWebOps.open(tmp_path, secrets.token_bytes(32), actor="a")
    await webops.close()
    conn = sqlite3.connect(tmp_path / DATABASE_NAME)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()

    with pytest.raises(IncompatibleDatabaseError) as caught:
        await LocalWebOps.open(tmp_path, secrets.token_bytes(32), actor="a")
    assert "newer version" in caught.value.message


async def _broken_runner(step: BuildStep, **_: object) -> StepResult:
    raise RuntimeError("runner bug")


def _clean_env(entries: Mapping[str, str]) -> dict[str, str]:
    return dict(entries)


@pytest.mark.asyncio
async def test_a_runner_failure_fails_the_step_and_the_queue_goes_on(tmp_path: Path) -> None:
    tools = BuildTools(
        run_step=_broken_runner,  # type: ignore[arg-type]
        build_environment=_clean_env,
        default_steps=REAL_TOOLS.default_steps,
        read_source=REAL_TOOLS.read_source,
    )
    folder = tmp_path / "store"
    folder.mkdir()
    webops = await LocalWebOps.open(
        tmp_path / "data", secrets.token_bytes(32), actor="a", tools=tools
    )
    try:
        store = await webops.create_store(
            StoreConfig(name="S", folder=str(folder), build_steps=(BuildStep("Build", ("x",)),))
        )
        first = await webops.create_deployment(store.id, "one")
        deadline = asyncio.get_running_loop().time() + 30
        while not (done := await webops.get_deployment(store.id, first.id)).status.finished:
            assert asyncio.get_running_loop().time() < deadline
            await asyncio.sleep(0.05)
        lines = [line.text async for line in webops.follow_log(store.id, first.id, "Build")]
    finally:
        await webops.close()

    assert done.status is DeploymentStatus.FAILED
    assert "RuntimeError" in done.error
    assert lines == ["The step could not run (RuntimeError)."]


@pytest.mark.asyncio
async def test_a_store_without_a_folder_fails_with_a_clear_reason(tmp_path: Path) -> None:
    webops = await LocalWebOps.open(tmp_path, secrets.token_bytes(32), actor="a")
    try:
        store = await webops.create_store(
            StoreConfig(
                name="S", folder=str(tmp_path / "gone"), build_steps=(BuildStep("B", ("x",)),)
            )
        )
        created = await webops.create_deployment(store.id, "one")
        deadline = asyncio.get_running_loop().time() + 30
        while not (done := await webops.get_deployment(store.id, created.id)).status.finished:
            assert asyncio.get_running_loop().time() < deadline
            await asyncio.sleep(0.05)
    finally:
        await webops.close()
    assert done.status is DeploymentStatus.FAILED
    assert "folder does not exist" in done.error
    assert done.steps[0].status is DeploymentStatus.CANCELED


@pytest.mark.asyncio
async def test_idempotency_records_are_forgotten_after_a_month(tmp_path: Path) -> None:
    key = secrets.token_bytes(32)
    webops = await LocalWebOps.open(tmp_path, key, actor="a")
    store = await webops.create_store(StoreConfig(name="S"))
    changes = ChangeSet([changeset.create("K", EntryType.TEXT, "v")])
    await webops.apply(store.id, changes, idempotency_key="old")
    await webops.close()
    conn = sqlite3.connect(tmp_path / DATABASE_NAME)
    with conn:
        conn.execute("UPDATE idempotency SET created_at = '2000-01-01T00:00:00.000000+00:00'")
    conn.close()

    reopened = await LocalWebOps.open(tmp_path, key, actor="a")
    try:
        with pytest.raises(ConflictError):  # applied again, not replayed: K exists already
            await reopened.apply(store.id, changes, idempotency_key="old")
    finally:
        await reopened.close()


@pytest.mark.asyncio
async def test_a_created_store_is_replayed_after_a_restart_and_forgotten_after_a_month(
    tmp_path: Path,
) -> None:
    key = secrets.token_bytes(32)
    webops = await LocalWebOps.open(tmp_path, key, actor="a")
    store = await webops.create_store(StoreConfig(name="S"), idempotency_key="new-store")
    await webops.close()

    reopened = await LocalWebOps.open(tmp_path, key, actor="a")
    try:
        again = await reopened.create_store(StoreConfig(name="S"), idempotency_key="new-store")
        assert again == store
        assert [s.id for s in await reopened.list_stores()] == [store.id]
    finally:
        await reopened.close()
    conn = sqlite3.connect(tmp_path / DATABASE_NAME)
    with conn:
        conn.execute("UPDATE idempotency SET created_at = '2000-01-01T00:00:00.000000+00:00'")
    conn.close()

    old = await LocalWebOps.open(tmp_path, key, actor="a")
    try:
        await old.create_store(StoreConfig(name="S"), idempotency_key="new-store")
        assert len(await old.list_stores()) == 2  # the record was dropped: created again
    finally:
        await old.close()


@pytest.mark.asyncio
async def test_idempotency_records_of_a_first_version_database_are_kept(tmp_path: Path) -> None:
    key = secrets.token_bytes(32)
    webops = await LocalWebOps.open(tmp_path, key, actor="a")
    store = await webops.create_store(StoreConfig(name="S"))
    changes = ChangeSet([changeset.create("K", EntryType.TEXT, "v")])
    await webops.apply(store.id, changes, idempotency_key="before-upgrade")
    await webops.close()
    conn = sqlite3.connect(tmp_path / DATABASE_NAME)
    with conn:  # the table as the first schema had it, holding the record
        rows = conn.execute("SELECT * FROM idempotency").fetchall()
        conn.execute("DROP TABLE idempotency")
        conn.execute(
            "CREATE TABLE idempotency (store_id TEXT NOT NULL REFERENCES stores(id) "
            "ON DELETE CASCADE, idem_key TEXT NOT NULL, request TEXT NOT NULL, "
            "result TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (store_id, idem_key)) "
            "WITHOUT ROWID"
        )
        conn.executemany("INSERT INTO idempotency VALUES (?, ?, ?, ?, ?)", rows)
        conn.execute("PRAGMA user_version = 1")
    conn.close()

    upgraded = await LocalWebOps.open(tmp_path, key, actor="a")
    try:
        replay = await upgraded.apply(store.id, changes, idempotency_key="before-upgrade")
        assert replay.replayed
        created = await upgraded.create_store(StoreConfig(name="T"), idempotency_key="k")
        assert (await upgraded.create_store(StoreConfig(name="T"), idempotency_key="k")) == created
    finally:
        await upgraded.close()
    with sqlite3.connect(tmp_path / DATABASE_NAME) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    conn.close()


SLOW_WHILE_MARKED = """
import pathlib, time
while pathlib.Path("slow.marker").exists():
    print("waiting", flush=True)
    time.sleep(0.05)
print("built")
"""


async def _until(
    webops: LocalWebOps, store_id: str, deployment_id: str, *states: DeploymentStatus
) -> None:
    deadline = asyncio.get_running_loop().time() + 30
    while (await webops.get_deployment(store_id, deployment_id)).status not in states:
        assert asyncio.get_running_loop().time() < deadline
        await asyncio.sleep(0.05)


@pytest.mark.asyncio
async def test_closing_cancels_the_running_build_and_leaves_the_queue_for_next_time(
    tmp_path: Path,
) -> None:
    key, folder = secrets.token_bytes(32), tmp_path / "store"
    folder.mkdir()
    (folder / "build.py").write_text(SLOW_WHILE_MARKED)
    (folder / "slow.marker").touch()
    webops = await LocalWebOps.open(tmp_path / "data", key, actor="a")
    store = await webops.create_store(
        StoreConfig(
            name="S", folder=str(folder), build_steps=(BuildStep("Build", ("@python", "build.py")),)
        )
    )
    running = await webops.create_deployment(store.id, "one")
    await _until(webops, store.id, running.id, DeploymentStatus.IN_PROGRESS)
    queued = await webops.create_deployment(store.id, "two")
    await webops.close()
    (folder / "slow.marker").unlink()

    reopened = await LocalWebOps.open(tmp_path / "data", key, actor="a")
    try:
        assert (
            await reopened.get_deployment(store.id, running.id)
        ).status is DeploymentStatus.CANCELED
        await _until(reopened, store.id, queued.id, DeploymentStatus.SUCCESS)
    finally:
        await reopened.close()


@pytest.mark.asyncio
async def test_views_act_as_their_actor_and_share_one_deployment_queue(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / "build.py").write_text(SLOW_WHILE_MARKED)
    (folder / "slow.marker").touch()
    owner = await LocalWebOps.open(tmp_path / "data", secrets.token_bytes(32), actor="owner")
    view = owner.with_actor("token-owner")
    try:
        store = await view.create_store(
            StoreConfig(
                name="S", folder=str(folder), build_steps=(BuildStep("B", ("@python", "build.py")),)
            )
        )
        await view.create_entry(store.id, "K", EntryType.TEXT, "v")
        running = await owner.create_deployment(store.id, "by the owner")
        await _until(owner, store.id, running.id, DeploymentStatus.IN_PROGRESS)
        queued = await view.create_deployment(store.id, "by the view")
        joined = await owner.create_deployment(store.id, "owner again")
        await view.close()  # a view's close leaves the shared data open
        assert (await view.get_deployment(store.id, queued.id)).status is DeploymentStatus.QUEUED
        canceled = await view.cancel_deployment(store.id, running.id)
        (folder / "slow.marker").unlink()
        await _until(owner, store.id, queued.id, DeploymentStatus.SUCCESS)
        history = await owner.entry_history(store.id, "K")
        audit = await owner.audit_trail(store.id)
    finally:
        await owner.close()

    assert joined.id == queued.id
    assert (queued.author, running.author) == ("token-owner", "owner")
    assert canceled.status is DeploymentStatus.CANCELED
    assert history[0].author == "token-owner"
    assert [r.actor for r in audit if r.action == "deployment.cancel"] == ["token-owner"]
