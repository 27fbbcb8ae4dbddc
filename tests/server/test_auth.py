"""Bearer tokens: 401 (missing, wrong, expired, revoked) versus 403 (role), with reasons; the
actor written into history is the token's name; repeated failures are slowed, then refused."""

from __future__ import annotations

import pytest
from serverkit import API, PROBLEM, Api

from faststore_desktop.webops.server.throttle import AuthThrottle


async def _problem(api: Api, headers: dict[str, str], path: str = "/stores") -> tuple[int, dict]:
    response = await api.client.get(API + path, headers=headers)
    assert response.headers["content-type"] == "application/problem+json"
    return response.status_code, response.json()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "needs an 'Authorization: Bearer <token>' header"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "Only bearer tokens"),
        ({"Authorization": "Bearer fsd_0123456789abcdef_" + "x" * 43}, "not valid"),
        ({"Authorization": "Bearer nonsense"}, "not valid"),
    ],
)
async def test_missing_or_wrong_token_is_401_saying_why(
    api: Api, headers: dict[str, str], reason: str
) -> None:
    status, problem = await _problem(api, headers)

    assert status == 401
    assert problem["type"] == PROBLEM + "unauthenticated"
    assert reason in problem["detail"]


@pytest.mark.asyncio
async def test_expired_and_revoked_tokens_are_401_saying_so(api: Api) -> None:
    assert (await _problem(api, api.auth("expired")))[1]["detail"] == "The token has expired."
    assert (await _problem(api, api.auth("revoked")))[1]["detail"] == "The token has been revoked."


@pytest.mark.asyncio
async def test_401_asks_for_a_bearer_token(api: Api) -> None:
    response = await api.client.get(f"{API}/stores")

    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.asyncio
async def test_a_token_revoked_while_the_server_runs_stops_working_at_once(api: Api) -> None:
    assert (await api.client.get(f"{API}/stores", headers=api.auth("editor"))).status_code == 200

    api.token_store.revoke("editor")

    status, problem = await _problem(api, api.auth("editor"))
    assert (status, problem["detail"]) == (401, "The token has been revoked.")


@pytest.mark.asyncio
async def test_a_viewer_reads_but_cannot_write(api: Api) -> None:
    store_id = await api.new_store()
    entries = f"{API}/stores/{store_id}/entries"

    assert (await api.client.get(entries, headers=api.auth("viewer"))).status_code == 200
    response = await api.client.post(
        entries,
        json={"key": "VTEX_ACCOUNT", "type": "text", "value": "store"},
        headers=api.auth("viewer"),
    )

    assert response.status_code == 403
    problem = response.json()
    assert problem["type"] == PROBLEM + "permission-denied"
    assert "viewer role" in problem["detail"] and "needs editor" in problem["detail"]
    assert (await api.client.get(entries, headers=api.auth("viewer"))).json() == []


@pytest.mark.asyncio
async def test_store_settings_need_the_admin_role(api: Api) -> None:
    response = await api.client.post(
        f"{API}/stores", json={"name": "Shop"}, headers=api.auth("editor")
    )

    assert response.status_code == 403
    assert "needs admin" in response.json()["detail"]


@pytest.mark.asyncio
async def test_history_names_the_token_that_made_the_change(api: Api) -> None:
    store_id = await api.new_store()
    await api.client.post(
        f"{API}/stores/{store_id}/entries",
        json={"key": "VTEX_ACCOUNT", "type": "text", "value": "store"},
        headers=api.auth("editor"),
    )

    entry = (
        await api.client.get(
            f"{API}/stores/{store_id}/entries/VTEX_ACCOUNT", headers=api.auth("viewer")
        )
    ).json()
    audit = (
        await api.client.get(f"{API}/stores/{store_id}/audit", headers=api.auth("viewer"))
    ).json()
    assert entry["author"] == "editor"
    assert [(r["actor"], r["action"]) for r in audit] == [
        ("editor", "entry.create"),
        ("admin", "store.create"),
    ]


@pytest.mark.asyncio
async def test_whoami_tells_the_token_name_and_role(api: Api) -> None:
    response = await api.client.get(f"{API}/whoami", headers=api.auth("editor"))

    assert response.json() == {"name": "editor", "role": "editor"}


@pytest.mark.asyncio
async def test_repeated_failures_are_slowed_down_then_refused(api: Api) -> None:
    bad = {"Authorization": "Bearer wrong"}
    statuses = [(await api.client.get(f"{API}/stores", headers=bad)).status_code for _ in range(7)]

    # free failures cost nothing, then the delay doubles; past the limit the address waits
    assert api.sleeps == [0.0, 0.0, 0.25, 0.5, 1.0, 2.0]
    assert statuses == [401] * 6 + [429]
    refused = await api.client.get(f"{API}/stores", headers=api.auth("admin"))
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert "Too many failed authentication attempts" in refused.json()["detail"]


@pytest.mark.asyncio
async def test_healthz_needs_no_token(api: Api) -> None:
    response = await api.client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["service"] == "faststore-webops"


def test_throttle_forgets_an_address_after_a_success_or_the_window() -> None:
    now = [0.0]
    throttle = AuthThrottle(
        free_failures=1,
        base_delay=1.0,
        max_delay=3.0,
        lockout_after=4,
        window=60.0,
        clock=lambda: now[0],
    )

    assert [throttle.failed("a") for _ in range(4)] == [0.0, 1.0, 2.0, 3.0]
    assert throttle.retry_after("a") == 60.0
    assert throttle.retry_after("b") == 0.0
    now[0] = 61.0
    assert throttle.retry_after("a") == 0.0
    assert throttle.failed("a") == 0.0
    throttle.failed("a")
    throttle.succeeded("a")
    assert throttle.failed("a") == 0.0
