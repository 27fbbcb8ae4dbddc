"""Pulling WebOps into vtex.env and the three-column compare, against the embedded WebOps."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from faststore_desktop.core.changeset import ChangeSet, create, update
from faststore_desktop.core.dotenv import parse_dotenv
from faststore_desktop.core.entries import EntryType
from faststore_desktop.core.review import mask
from faststore_desktop.core.workspace.compare import Agreement, gather_compare
from faststore_desktop.core.workspace.pull import PullAction, plan_pull
from faststore_desktop.webops.local.service import LocalWebOps
from faststore_desktop.webops.models import (
    Deployment,
    DeploymentStatus,
    EntryStatus,
    Environment,
    SnapshotEntry,
    Source,
    StoreConfig,
)

TOKEN = "token-value-never-shown-123"

ENV_TEXT = """# Local development of the shop
export VTEX_ACCOUNT=oldshop

# Discovery
FS_DISCOVERY_APP_TOKEN="local-token-kept"
LOCAL_ONLY=debug # used by my scripts
"""


@asynccontextmanager
async def embedded(tmp_path: Path) -> AsyncIterator[tuple[LocalWebOps, str]]:
    webops = await LocalWebOps.open(tmp_path / "webops", os.urandom(32), actor="ana")
    try:
        store = await webops.create_store(StoreConfig(name="shop"))
        changes = ChangeSet(
            [
                create("VTEX_ACCOUNT", EntryType.TEXT, "shop"),
                create("NEXT_PUBLIC_GTM_ID", EntryType.TEXT, "GTM-123"),
                create("FS_DISCOVERY_APP_TOKEN", EntryType.SECRET, TOKEN),
                create("PAYMENT_SECRET", EntryType.SECRET, "payment-secret-value"),
            ]
        )
        await webops.apply(store.id, changes, idempotency_key="seed")
        yield webops, store.id
    finally:
        await webops.close()


@pytest.mark.asyncio
async def test_pull_copies_text_keeps_secrets_and_local_keys(tmp_path: Path) -> None:
    async with embedded(tmp_path) as (webops, store_id):
        plan = plan_pull(ENV_TEXT, await webops.list_entries(store_id))
    actions = {row.key: row.action for row in plan.rows}
    assert actions == {
        "FS_DISCOVERY_APP_TOKEN": PullAction.KEEP_SECRET,
        "NEXT_PUBLIC_GTM_ID": PullAction.ADD,
        "PAYMENT_SECRET": PullAction.FILL_BY_HAND,
        "VTEX_ACCOUNT": PullAction.UPDATE,
        "LOCAL_ONLY": PullAction.KEEP_LOCAL,
    }
    assert plan.fill_by_hand == ["PAYMENT_SECRET"]
    assert [row.key for row in plan.changes] == ["NEXT_PUBLIC_GTM_ID", "VTEX_ACCOUNT"]
    updated = next(row for row in plan.rows if row.key == "VTEX_ACCOUNT")
    assert (updated.before, updated.after) == (mask("oldshop"), mask("shop"))
    # The file is edited in place: comments, order, export and the local key survive.
    assert plan.text_after == (
        "# Local development of the shop\n"
        "export VTEX_ACCOUNT=shop\n"
        "\n"
        "# Discovery\n"
        'FS_DISCOVERY_APP_TOKEN="local-token-kept"\n'
        "LOCAL_ONLY=debug # used by my scripts\n"
        "NEXT_PUBLIC_GTM_ID=GTM-123\n"
    )
    assert parse_dotenv(plan.text_after).values()["FS_DISCOVERY_APP_TOKEN"] == "local-token-kept"
    assert plan.text_before == ENV_TEXT and plan.writes
    assert TOKEN not in repr(plan) and "local-token-kept" not in repr(plan)


@pytest.mark.asyncio
async def test_pulling_twice_writes_nothing_the_second_time(tmp_path: Path) -> None:
    async with embedded(tmp_path) as (webops, store_id):
        entries = await webops.list_entries(store_id)
    first = plan_pull(ENV_TEXT, entries)
    second = plan_pull(first.text_after, entries)
    assert not second.writes and second.changes == ()


@pytest.mark.asyncio
async def test_a_value_dotenv_cannot_hold_is_reported_not_written(tmp_path: Path) -> None:
    unwritable = "\"'`#\n"  # every quote and a line break: no dotenv spelling reads it back
    async with embedded(tmp_path) as (webops, store_id):
        await webops.create_entry(store_id, "ODD_TEXT", EntryType.TEXT, unwritable)
        plan = plan_pull("", await webops.list_entries(store_id))
    [odd] = [row for row in plan.rows if row.key == "ODD_TEXT"]
    assert odd.action is PullAction.CANNOT_WRITE and "ODD_TEXT" in odd.note
    assert "ODD_TEXT" not in parse_dotenv(plan.text_after).values()
    assert "VTEX_ACCOUNT=shop" in plan.text_after


class WithLiveDeployment:
    """The embedded WebOps plus a last successful deployment built with `snapshot`."""

    def __init__(self, webops: LocalWebOps, snapshot: tuple[SnapshotEntry, ...]) -> None:
        self.webops, self.snapshot = webops, snapshot

    async def status(self, store_id: str) -> EntryStatus:
        """As WebOps would report it had `snapshot` been deployed successfully."""
        current = {e.key: e.version for e in await self.webops.list_entries(store_id)}
        live = {s.key: s.version for s in self.snapshot}
        deleted = frozenset(live) - frozenset(current)
        changed = {k for k, v in current.items() if live.get(k) != v}
        return EntryStatus(
            live=frozenset(live) - deleted - changed,
            pending=frozenset(changed) | deleted,
            pending_deletions=deleted,
            last_success_id="dep-1",
        )

    async def get_deployment(self, store_id: str, deployment_id: str) -> Deployment:
        now = datetime.now(UTC)
        source = Source("abc123", "main", "ana", "release")
        return Deployment(
            deployment_id, store_id, DeploymentStatus.SUCCESS, Environment.PRODUCTION,
            source, "ana", "redeploy", now, snapshot=self.snapshot,
        )  # fmt: skip

    def __getattr__(self, name: str) -> object:
        return getattr(self.webops, name)


@pytest.mark.asyncio
async def test_compare_three_columns(tmp_path: Path) -> None:
    local = parse_dotenv(ENV_TEXT + "NEXT_PUBLIC_GTM_ID=GTM-123\n").values()
    async with embedded(tmp_path) as (webops, store_id):
        entries = {e.key: e for e in await webops.list_entries(store_id)}
        live = (
            SnapshotEntry("VTEX_ACCOUNT", entries["VTEX_ACCOUNT"].version, EntryType.TEXT),
            SnapshotEntry("NEXT_PUBLIC_GTM_ID", 1, EntryType.TEXT),
            SnapshotEntry("FS_DISCOVERY_APP_TOKEN", 1, EntryType.SECRET),
            SnapshotEntry("OLD_KEY", 4, EntryType.TEXT),
        )
        # After the live deployment: the GTM id changed, the token was saved again unchanged.
        await webops.apply(
            store_id,
            ChangeSet(
                [
                    update("NEXT_PUBLIC_GTM_ID", "GTM-999", 1),
                    update("FS_DISCOVERY_APP_TOKEN", TOKEN, 1),
                ]
            ),
            idempotency_key="after-live",
        )
        wrapped = WithLiveDeployment(webops, live)
        rows = {r.key: r for r in await gather_compare(wrapped, store_id, local)}  # type: ignore[arg-type]

    assert set(rows) == {
        "FS_DISCOVERY_APP_TOKEN",
        "LOCAL_ONLY",
        "NEXT_PUBLIC_GTM_ID",
        "OLD_KEY",
        "PAYMENT_SECRET",
        "VTEX_ACCOUNT",
    }
    account = rows["VTEX_ACCOUNT"]
    assert account.env_vs_webops is Agreement.DIFFERENT  # oldshop locally, shop in WebOps
    assert account.webops_vs_live is Agreement.SAME
    assert account.problems == ["vtex.env differs from WebOps"]

    gtm = rows["NEXT_PUBLIC_GTM_ID"]
    assert gtm.env_vs_webops is Agreement.DIFFERENT and gtm.webops_vs_live is Agreement.DIFFERENT
    assert "pending redeploy" in gtm.problems and gtm.webops_version == 2

    token = rows["FS_DISCOVERY_APP_TOKEN"]
    assert token.env_vs_webops is Agreement.UNKNOWN
    assert token.webops_vs_live is Agreement.SAME  # same fingerprint, new version

    assert rows["PAYMENT_SECRET"].problems[:2] == [
        "missing from vtex.env",
        "not in the live deployment",
    ]
    assert rows["LOCAL_ONLY"].problems == ["missing from WebOps"]
    assert rows["OLD_KEY"].problems == ["deleted, still live", "pending redeploy"]
    assert all(TOKEN not in repr(row) for row in rows.values())


@pytest.mark.asyncio
async def test_compare_without_any_deployment(tmp_path: Path) -> None:
    async with embedded(tmp_path) as (webops, store_id):
        rows = await gather_compare(webops, store_id, {"VTEX_ACCOUNT": "shop"})
    account = next(r for r in rows if r.key == "VTEX_ACCOUNT")
    assert account.env_vs_webops is Agreement.SAME and account.live_version is None
    assert account.problems == ["not in the live deployment", "pending redeploy"]
