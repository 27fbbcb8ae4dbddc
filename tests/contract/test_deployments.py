"""Deployments through the protocol: redeploy, logs, failure, cancel, join, rerun, queries."""

from __future__ import annotations

import asyncio
import hashlib
import os
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from contract_support import log_text, wait_for_status, wait_until_finished

from faststore_desktop.core import changeset
from faststore_desktop.core.changeset import ChangeSet
from faststore_desktop.core.entries import EntryType
from faststore_desktop.webops.errors import ConflictError, NotFoundError
from faststore_desktop.webops.models import (
    DeploymentQuery,
    DeploymentStatus,
    Environment,
    SortOrder,
    Store,
)
from faststore_desktop.webops.protocol import WebOps

APP_KEY = "vtexappkey-store-ABCDEF"


async def _with_app_key(webops: WebOps, store: Store) -> None:
    await webops.create_entry(store.id, "FS_DISCOVERY_APP_KEY", EntryType.SECRET, APP_KEY)


@pytest.mark.asyncio
async def test_redeploy_succeeds_with_its_snapshot_and_clears_pending(
    webops: WebOps, store: Store, actor: str
) -> None:
    await _with_app_key(webops, store)
    await webops.create_entry(store.id, "NEXT_PUBLIC_REGION", EntryType.TEXT, "br")
    assert (await webops.status(store.id)).pending == {"FS_DISCOVERY_APP_KEY", "NEXT_PUBLIC_REGION"}

    created = await webops.create_deployment(store.id, "Redeploying with secret changes")
    assert created.status in {DeploymentStatus.QUEUED, DeploymentStatus.IN_PROGRESS}
    assert (created.author, created.reason) == (actor, "Redeploying with secret changes")
    done = await wait_until_finished(webops, store.id, created.id)

    assert done.status is DeploymentStatus.SUCCESS, done.error
    assert [(s.name, s.status) for s in done.steps] == [
        ("Build", DeploymentStatus.SUCCESS),
        ("Leak scan", DeploymentStatus.SUCCESS),
    ]
    assert done.steps[0].log_lines > 0
    assert {(e.key, e.version, e.new) for e in done.snapshot} == {
        ("FS_DISCOVERY_APP_KEY", 1, True),
        ("NEXT_PUBLIC_REGION", 1, True),
    }
    assert done.environment is Environment.PREVIEW  # the folder is not a git repository
    status = await webops.status(store.id)
    assert not status.has_pending
    assert status.live == {"FS_DISCOVERY_APP_KEY", "NEXT_PUBLIC_REGION"}
    assert status.last_success_id == done.id


@pytest.mark.asyncio
async def test_changes_after_a_success_are_pending_deletions_included(
    webops: WebOps, store: Store
) -> None:
    await _with_app_key(webops, store)
    await webops.create_entry(store.id, "OLD", EntryType.TEXT, "x")
    done = await wait_until_finished(
        webops, store.id, (await webops.create_deployment(store.id, "first")).id
    )
    assert done.status is DeploymentStatus.SUCCESS

    await webops.delete_entry(store.id, "OLD", expected_version=1)
    await webops.create_entry(store.id, "NEW", EntryType.TEXT, "y")

    status = await webops.status(store.id)
    assert status.pending == {"OLD", "NEW"}
    assert status.pending_deletions == {"OLD"}
    assert status.live == {"FS_DISCOVERY_APP_KEY"}


@pytest.mark.asyncio
async def test_failed_build_names_the_step_and_its_log_says_why(
    webops: WebOps, store: Store
) -> None:
    created = await webops.create_deployment(store.id, "no key yet")
    done = await wait_until_finished(webops, store.id, created.id)

    assert done.status is DeploymentStatus.FAILED
    assert "Build" in done.error
    assert [s.status for s in done.steps] == [DeploymentStatus.FAILED, DeploymentStatus.CANCELED]
    lines = await log_text(webops, store.id, created.id, "Build")
    assert "FS_DISCOVERY_APP_KEY is missing" in lines
    assert (await webops.status(store.id)).last_success_id is None


@pytest.mark.asyncio
async def test_build_sees_a_secret_in_its_environment_and_the_log_never_shows_it(
    webops: WebOps, store: Store
) -> None:
    canary = "canary-" + os.urandom(8).hex()
    await _with_app_key(webops, store)
    await webops.apply(
        store.id,
        ChangeSet(
            [
                changeset.create("CANARY", EntryType.SECRET, canary),
                changeset.create(
                    "CANARY_SHA256", EntryType.TEXT, hashlib.sha256(canary.encode()).hexdigest()
                ),
            ]
        ),
        idempotency_key="canary-1",
    )

    created = await webops.create_deployment(store.id, "canary")
    done = await wait_until_finished(webops, store.id, created.id)

    assert done.status is DeploymentStatus.SUCCESS
    lines = await log_text(webops, store.id, created.id, "Build")
    assert "canary seen" in lines
    assert not any(canary in line or APP_KEY in line for line in lines)


@pytest.mark.asyncio
async def test_log_follows_from_an_offset_and_ends_with_the_step(
    webops: WebOps, store: Store
) -> None:
    await _with_app_key(webops, store)
    created = await webops.create_deployment(store.id, "logs")
    # Following starts before the build is over and ends by itself when the step does.
    followed = [line async for line in webops.follow_log(store.id, created.id, "Build")]
    done = await wait_until_finished(webops, store.id, created.id)

    assert [line.offset for line in followed] == list(range(len(followed)))
    assert len(followed) == done.steps[0].log_lines
    assert "build starting" in [line.text for line in followed]
    assert {line.stream for line in followed} >= {"stdout", "stderr"}
    tail = [line async for line in webops.follow_log(store.id, created.id, "Build", offset=3)]
    assert [(line.offset, line.text) for line in tail] == [
        (line.offset, line.text) for line in followed[3:]
    ]


@pytest.mark.asyncio
async def test_following_an_unknown_step_is_not_found(webops: WebOps, store: Store) -> None:
    created = await webops.create_deployment(store.id, "x")
    with pytest.raises(NotFoundError):
        async for _ in webops.follow_log(store.id, created.id, "No such step"):
            pass
    await wait_until_finished(webops, store.id, created.id)


@pytest.mark.asyncio
async def test_cancel_stops_a_running_build_and_a_queued_one(webops: WebOps, store: Store) -> None:
    await _with_app_key(webops, store)
    await webops.create_entry(store.id, "BUILD_MODE", EntryType.TEXT, "slow")
    running = await webops.create_deployment(store.id, "slow one")
    await wait_for_status(webops, store.id, running.id, DeploymentStatus.IN_PROGRESS)
    queued = await webops.create_deployment(store.id, "waits")
    assert queued.id != running.id
    assert queued.status is DeploymentStatus.QUEUED

    canceled_queued = await webops.cancel_deployment(store.id, queued.id)
    canceled = await webops.cancel_deployment(store.id, running.id)

    assert canceled_queued.status is DeploymentStatus.CANCELED
    final = await wait_until_finished(webops, store.id, running.id)
    assert canceled.status in {DeploymentStatus.CANCELED, DeploymentStatus.IN_PROGRESS}
    assert final.status is DeploymentStatus.CANCELED
    assert final.steps[0].status is DeploymentStatus.CANCELED
    again = await webops.cancel_deployment(store.id, running.id)
    assert again.status is DeploymentStatus.CANCELED


@pytest.mark.asyncio
async def test_a_redeploy_while_one_is_queued_joins_it_with_the_newest_entries(
    webops: WebOps, store: Store
) -> None:
    await _with_app_key(webops, store)
    await webops.create_entry(store.id, "BUILD_MODE", EntryType.TEXT, "slow")
    running = await webops.create_deployment(store.id, "slow one")
    await wait_for_status(webops, store.id, running.id, DeploymentStatus.IN_PROGRESS)

    first = await webops.create_deployment(store.id, "first change")
    await webops.create_entry(store.id, "LATER", EntryType.TEXT, "added after")
    second = await webops.create_deployment(store.id, "second change")

    assert second.id == first.id
    assert "LATER" in {e.key for e in second.snapshot}
    page = await webops.list_deployments(store.id, DeploymentQuery())
    assert page.total == 2
    await webops.cancel_deployment(store.id, first.id)
    await webops.cancel_deployment(store.id, running.id)


@pytest.mark.asyncio
async def test_rerun_builds_the_same_entry_versions_again(webops: WebOps, store: Store) -> None:
    await _with_app_key(webops, store)
    await webops.create_entry(store.id, "API_URL", EntryType.TEXT, "https://one.example")
    first = await wait_until_finished(
        webops, store.id, (await webops.create_deployment(store.id, "one")).id
    )
    await webops.update_entry(store.id, "API_URL", "https://two.example", expected_version=1)

    rerun = await webops.rerun_deployment(store.id, first.id)
    done = await wait_until_finished(webops, store.id, rerun.id)

    assert done.rerun_of == first.id
    assert done.id != first.id
    assert done.status is DeploymentStatus.SUCCESS
    assert {(e.key, e.version) for e in done.snapshot} == {
        (e.key, e.version) for e in first.snapshot
    }
    assert "API_URL" in (await webops.status(store.id)).pending


@pytest.mark.asyncio
async def test_create_deployment_with_an_idempotency_key_creates_one(
    webops: WebOps, store: Store
) -> None:
    first = await webops.create_deployment(store.id, "once", idempotency_key="deploy-1")
    again = await webops.create_deployment(store.id, "once", idempotency_key="deploy-1")
    await wait_until_finished(webops, store.id, first.id)
    third = await webops.create_deployment(store.id, "once", idempotency_key="deploy-1")

    assert first.id == again.id == third.id
    assert (await webops.list_deployments(store.id, DeploymentQuery())).total == 1


@pytest.mark.asyncio
async def test_rerun_with_an_idempotency_key_creates_one(webops: WebOps, store: Store) -> None:
    first = await webops.create_deployment(store.id, "one")
    await wait_until_finished(webops, store.id, first.id)

    rerun = await webops.rerun_deployment(store.id, first.id, idempotency_key="rerun-1")
    again = await webops.rerun_deployment(store.id, first.id, idempotency_key="rerun-1")
    done = await wait_until_finished(webops, store.id, rerun.id)
    after = await webops.rerun_deployment(store.id, first.id, idempotency_key="rerun-1")
    with pytest.raises(ConflictError, match="idempotency key of a different request"):
        await webops.rerun_deployment(store.id, done.id, idempotency_key="rerun-1")

    assert rerun.id == again.id == after.id != first.id
    assert after == done  # the deployment as it is now, not a copy of the first answer
    assert (await webops.list_deployments(store.id, DeploymentQuery())).total == 2
    reruns = [r for r in await webops.audit_trail(store.id) if r.action == "deployment.rerun"]
    assert len(reruns) == 1


@pytest.mark.asyncio
async def test_cancel_with_an_idempotency_key_cancels_once(webops: WebOps, store: Store) -> None:
    await webops.create_entry(store.id, "BUILD_MODE", EntryType.TEXT, "slow")
    running = await webops.create_deployment(store.id, "slow")
    await wait_for_status(webops, store.id, running.id, DeploymentStatus.IN_PROGRESS)

    canceled = await webops.cancel_deployment(store.id, running.id, idempotency_key="cancel-1")
    again = await webops.cancel_deployment(store.id, running.id, idempotency_key="cancel-1")

    final = await wait_until_finished(webops, store.id, running.id)
    assert canceled.id == again.id == running.id
    assert final.status is DeploymentStatus.CANCELED
    cancels = [r for r in await webops.audit_trail(store.id) if r.action == "deployment.cancel"]
    assert len(cancels) == 1


@pytest.mark.asyncio
async def test_list_filters_searches_sorts_and_pages(webops: WebOps, store: Store) -> None:
    ids = []
    for reason in ("a", "b", "c"):
        created = await webops.create_deployment(store.id, reason)
        await wait_until_finished(webops, store.id, created.id)
        ids.append(created.id)

    latest = await webops.list_deployments(store.id, DeploymentQuery())
    assert [d.id for d in latest.items] == ids[::-1]
    oldest = await webops.list_deployments(store.id, DeploymentQuery(order=SortOrder.OLDEST_FIRST))
    assert [d.id for d in oldest.items] == ids
    second_page = await webops.list_deployments(store.id, DeploymentQuery(offset=1, limit=1))
    assert ([d.id for d in second_page.items], second_page.total) == ([ids[1]], 3)
    by_id = await webops.list_deployments(store.id, DeploymentQuery(search=ids[2].upper()))
    assert [d.id for d in by_id.items] == [ids[2]]
    failed = await webops.list_deployments(
        store.id, DeploymentQuery(status=DeploymentStatus.FAILED)
    )
    assert failed.total == 3  # no FS_DISCOVERY_APP_KEY
    assert (
        await webops.list_deployments(store.id, DeploymentQuery(environment=Environment.PRODUCTION))
    ).total == 0
    with pytest.raises(NotFoundError):
        await webops.get_deployment(store.id, "nope")


@pytest.mark.asyncio
async def test_production_branch_builds_are_production_with_their_git_source(
    webops: WebOps, store: Store
) -> None:
    folder = Path(store.config.folder)
    await asyncio.to_thread(_git_commit, folder, "main", "Initial storefront")
    await webops.configure_store(store.id, replace(store.config, production_branch="main"))

    production = await webops.create_deployment(store.id, "prod")
    await wait_until_finished(webops, store.id, production.id)
    await asyncio.to_thread(_git, folder, "checkout", "-q", "-b", "feature")
    preview = await webops.create_deployment(store.id, "preview")
    await wait_until_finished(webops, store.id, preview.id)

    assert production.environment is Environment.PRODUCTION
    assert (production.source.branch, production.source.message) == ("main", "Initial storefront")
    assert len(production.source.commit) == 40
    assert production.source.author == "Store Dev"
    assert (preview.environment, preview.source.branch) == (Environment.PREVIEW, "feature")
    found = await webops.list_deployments(store.id, DeploymentQuery(branch="feature"))
    assert [d.id for d in found.items] == [preview.id]
    by_message = await webops.list_deployments(store.id, DeploymentQuery(search="storefront"))
    assert by_message.total == 2


def _git_commit(folder: Path, branch: str, message: str) -> None:
    _git(folder, "init", "-q", "-b", branch)
    _git(folder, "add", "build.py")
    _git(folder, "commit", "-q", "-m", message)


def _git(folder: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Store Dev",
        "GIT_AUTHOR_EMAIL": "dev@example.com",
        "GIT_COMMITTER_NAME": "Store Dev",
        "GIT_COMMITTER_EMAIL": "dev@example.com",
    }
    subprocess.run(["git", *args], cwd=folder, env=env, check=True)
