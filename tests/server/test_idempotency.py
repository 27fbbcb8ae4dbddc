"""Idempotency keys of the mutations that are not about entries: creating and configuring a store,
rerunning and cancelling a deployment. The same request twice with one key is done once and
answered the same; the key reused for a different request, or by another token, is a 409 problem
(what a change set answers)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from serverkit import API, PROBLEM, Api

from faststore_desktop.webops.server.tokens import Role


def _with_key(api: Api, key: str, who: str = "admin") -> dict[str, str]:
    return {**api.auth(who), "Idempotency-Key": key}


async def _audit(api: Api, store_id: str, action: str) -> list[dict[str, Any]]:
    response = await api.client.get(
        f"{API}/stores/{store_id}/audit", params={"limit": 1000}, headers=api.auth("viewer")
    )
    return [r for r in response.json() if r["action"] == action]


async def _deployments(api: Api, store_id: str) -> int:
    response = await api.client.get(
        f"{API}/stores/{store_id}/deployments", headers=api.auth("viewer")
    )
    return int(response.json()["total"])


async def _finished(api: Api, store_id: str, deployment_id: str) -> dict[str, Any]:
    url = f"{API}/stores/{store_id}/deployments/{deployment_id}"
    deadline = time.monotonic() + 30
    while True:
        deployment: dict[str, Any] = (await api.client.get(url, headers=api.auth("viewer"))).json()
        if deployment["status"] in {"Success", "Failed", "Canceled"}:
            return deployment
        assert time.monotonic() < deadline, deployment
        await asyncio.sleep(0.05)


def _refused_reuse(response: httpx.Response) -> None:
    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == PROBLEM + "conflict"
    assert "idempotency key of a different request" in response.json()["detail"]


@pytest.mark.asyncio
async def test_create_store_twice_with_one_key_creates_one(api: Api) -> None:
    body = {"name": "Shop", "vtex_account": "acme"}

    first = await api.client.post(f"{API}/stores", json=body, headers=_with_key(api, "s-1"))
    again = await api.client.post(f"{API}/stores", json=body, headers=_with_key(api, "s-1"))
    other_body = await api.client.post(
        f"{API}/stores", json={"name": "Other"}, headers=_with_key(api, "s-1")
    )
    stores = (await api.client.get(f"{API}/stores", headers=api.auth("viewer"))).json()

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert [s["id"] for s in stores] == [first.json()["id"]]
    _refused_reuse(other_body)


@pytest.mark.asyncio
async def test_one_key_belongs_to_one_token(api: Api) -> None:
    body = {"name": "Shop"}
    second_admin = api.token_store.create("second-admin", Role.ADMIN)
    mine = await api.client.post(f"{API}/stores", json=body, headers=_with_key(api, "shared"))
    theirs = await api.client.post(
        f"{API}/stores",
        json=body,
        headers={"Authorization": f"Bearer {second_admin}", "Idempotency-Key": "shared"},
    )

    assert mine.status_code == 201
    _refused_reuse(theirs)  # never the first token's store


@pytest.mark.asyncio
async def test_configure_store_twice_with_one_key_writes_once(api: Api) -> None:
    store_id = await api.new_store()
    url = f"{API}/stores/{store_id}"
    mine = {"name": "Shop", "production_branch": "release"}

    first = await api.client.put(url, json=mine, headers=_with_key(api, "c-1"))
    again = await api.client.put(url, json=mine, headers=_with_key(api, "c-1"))
    other_body = await api.client.put(url, json={"name": "Renamed"}, headers=_with_key(api, "c-1"))

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert first.json()["config"]["production_branch"] == "release"
    assert len(await _audit(api, store_id, "store.configure")) == 1
    _refused_reuse(other_body)


@pytest.mark.asyncio
async def test_rerun_twice_with_one_key_creates_one_deployment(api: Api) -> None:
    store_id = await api.new_store()  # no folder: its deployments fail at once
    created = await api.client.post(
        f"{API}/stores/{store_id}/deployments", json={"reason": "one"}, headers=api.auth("editor")
    )
    first_id = created.json()["id"]
    await _finished(api, store_id, first_id)
    url = f"{API}/stores/{store_id}/deployments/{first_id}/rerun"

    first = await api.client.post(url, headers=_with_key(api, "r-1", "editor"))
    again = await api.client.post(url, headers=_with_key(api, "r-1", "editor"))
    rerun_id = first.json()["id"]
    await _finished(api, store_id, rerun_id)
    other = await api.client.post(
        f"{API}/stores/{store_id}/deployments/{rerun_id}/rerun",
        headers=_with_key(api, "r-1", "editor"),
    )

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == rerun_id != first_id
    assert again.json()["rerun_of"] == first_id
    assert await _deployments(api, store_id) == 2
    assert len(await _audit(api, store_id, "deployment.rerun")) == 1
    _refused_reuse(other)


#: A build that takes a moment to stop: SIGTERM starts a one-second shutdown, so a cancel is
#: still waiting for it while a second one arrives. It says it is ready once the handler is set.
SLOW_TO_STOP = """
import pathlib, signal, sys, time
def stop(*_):
    time.sleep(1.0)
    sys.exit(1)
signal.signal(signal.SIGTERM, stop)
signal.signal(getattr(signal, "SIGBREAK", signal.SIGTERM), stop)  # how Windows is asked
pathlib.Path("ready").write_text("ready")
print("building", flush=True)
time.sleep(60)
"""


async def _running_slow_to_stop(api: Api, tmp_path: Path) -> tuple[str, str]:
    """A store whose deployment is running a build slow to stop: (store id, deployment id)."""
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "build.py").write_text(SLOW_TO_STOP)
    store_id = await api.new_store()
    config = {
        "name": "Shop",
        "folder": str(folder),
        "build_steps": [{"name": "Build", "command": ["@python", "build.py"], "optional": False}],
    }
    configured = await api.client.put(
        f"{API}/stores/{store_id}", json=config, headers=api.auth("admin")
    )
    assert configured.status_code == 200, configured.text
    created = await api.client.post(
        f"{API}/stores/{store_id}/deployments", json={"reason": "slow"}, headers=api.auth("editor")
    )
    deadline = time.monotonic() + 30
    while not (folder / "ready").exists():
        assert time.monotonic() < deadline, "the build never started"
        await asyncio.sleep(0.05)
    return store_id, str(created.json()["id"])


@pytest.mark.asyncio
async def test_two_cancels_in_flight_with_one_key_cancel_once(api: Api, tmp_path: Path) -> None:
    # Without the key the second would find the build still stopping and record a second cancel.
    store_id, deployment_id = await _running_slow_to_stop(api, tmp_path)
    url = f"{API}/stores/{store_id}/deployments/{deployment_id}/cancel"

    started = time.monotonic()
    first, again = await asyncio.gather(
        api.client.post(url, headers=_with_key(api, "x-1", "editor")),
        api.client.post(url, headers=_with_key(api, "x-1", "editor")),
    )
    waited = time.monotonic() - started
    other = await api.client.post(
        f"{API}/stores/{store_id}/deployments/missing/cancel",
        headers=_with_key(api, "x-1", "editor"),
    )

    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json()["status"] == "Canceled"
    assert again.json() == first.json()
    assert waited >= 0.9  # both were in flight while the build was stopping
    assert len(await _audit(api, store_id, "deployment.cancel")) == 1
    _refused_reuse(other)


@pytest.mark.asyncio
async def test_two_cancels_in_flight_without_a_key_are_both_recorded(
    api: Api, tmp_path: Path
) -> None:
    # The counterpart that shows the test above can fail: the key is what makes it one.
    store_id, deployment_id = await _running_slow_to_stop(api, tmp_path)
    url = f"{API}/stores/{store_id}/deployments/{deployment_id}/cancel"

    first, again = await asyncio.gather(
        api.client.post(url, headers=api.auth("editor")),
        api.client.post(url, headers=api.auth("editor")),
    )

    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json() == again.json() and first.json()["status"] == "Canceled"
    assert len(await _audit(api, store_id, "deployment.cancel")) == 2


@pytest.mark.asyncio
@pytest.mark.parametrize("key", ["", "k" * 201])
async def test_a_key_out_of_bounds_is_refused_before_anything_is_done(api: Api, key: str) -> None:
    response = await api.client.post(
        f"{API}/stores", json={"name": "Shop"}, headers=_with_key(api, key)
    )
    stores = (await api.client.get(f"{API}/stores", headers=api.auth("viewer"))).json()

    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert stores == []
