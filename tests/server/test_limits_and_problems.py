"""Limits answer 4xx naming the limit; every failure is an RFC 9457 problem of the right type;
expected versions (body or If-Match) and idempotency keys behave as documented."""

from __future__ import annotations

import pytest
from serverkit import API, PROBLEM, Api

from faststore_desktop.core.validation import Finding, Severity
from faststore_desktop.webops.errors import (
    AuthenticationError,
    ConflictError,
    LimitExceededError,
    NotFoundError,
    PermissionDeniedError,
    UnavailableError,
    ValidationError,
    WebOpsError,
)
from faststore_desktop.webops.http.problems import from_problem, to_problem


async def _create(api: Api, store_id: str, key: str, value: str = "v", who: str = "editor"):
    return await api.client.post(
        f"{API}/stores/{store_id}/entries",
        json={"key": key, "type": "text", "value": value},
        headers=api.auth(who),
    )


@pytest.mark.asyncio
async def test_a_body_over_the_limit_is_413_naming_it(api: Api) -> None:
    store_id = await api.new_store()

    response = await _create(api, store_id, "BIG", "x" * (300 * 1024))

    assert response.status_code == 413
    assert response.json()["type"] == PROBLEM + "limit-exceeded"
    assert "body size limit (262144 bytes)" in response.json()["detail"]


@pytest.mark.asyncio
async def test_a_streamed_body_without_a_length_is_cut_at_the_limit(api: Api) -> None:
    store_id = await api.new_store()

    async def chunks():
        yield b'{"key": "BIG", "type": "text", "value": "'
        for _ in range(100):
            yield b"x" * 4096
        yield b'"}'

    response = await api.client.post(
        f"{API}/stores/{store_id}/entries",
        content=chunks(),
        headers={**api.auth("editor"), "Content-Type": "application/json"},
    )

    assert response.status_code == 413
    assert "body size limit" in response.json()["detail"]


@pytest.mark.asyncio
async def test_a_change_set_over_the_entry_limit_is_413_naming_it(api: Api) -> None:
    store_id = await api.new_store()
    operations = [
        {"kind": "create", "key": f"K{i}", "type": "text", "value": "v"} for i in range(21)
    ]

    response = await api.client.post(
        f"{API}/stores/{store_id}/changesets",
        json={"operations": operations},
        headers={**api.auth("editor"), "Idempotency-Key": "batch-1"},
    )

    assert response.status_code == 413
    assert "limit of 20 entries per change set" in response.json()["detail"]
    listed = await api.client.get(f"{API}/stores/{store_id}/entries", headers=api.auth("viewer"))
    assert listed.json() == []


@pytest.mark.asyncio
async def test_a_change_set_creating_one_key_twice_is_422_naming_the_key(api: Api) -> None:
    store_id = await api.new_store()
    operations = [
        {"kind": "create", "key": "API_TOKEN", "type": "secret", "value": "first-canary"},
        {"kind": "create", "key": "API_TOKEN", "type": "secret", "value": "second-canary"},
    ]

    response = await api.client.post(
        f"{API}/stores/{store_id}/changesets",
        json={"operations": operations},
        headers={**api.auth("editor"), "Idempotency-Key": "twice"},
    )

    assert response.status_code == 422
    assert "API_TOKEN is already staged to be created" in response.json()["detail"]
    assert "canary" not in response.text
    listed = await api.client.get(f"{API}/stores/{store_id}/entries", headers=api.auth("viewer"))
    assert listed.json() == []


@pytest.mark.asyncio
async def test_a_value_over_64_kib_is_rejected_naming_the_limit(api: Api) -> None:
    store_id = await api.new_store()

    response = await _create(api, store_id, "BIG", "x" * (64 * 1024 + 1))

    assert response.status_code == 422
    problem = response.json()
    assert problem["findings"][0]["code"] == "value-too-large"
    assert "64 KiB" in problem["findings"][0]["message"]


@pytest.mark.asyncio
async def test_a_stale_if_match_is_409_with_the_current_version(api: Api) -> None:
    store_id = await api.new_store()
    await _create(api, store_id, "API_URL")
    url = f"{API}/stores/{store_id}/entries/API_URL"
    current = await api.client.get(url, headers=api.auth("viewer"))
    assert current.headers["etag"] == '"1"'
    await api.client.put(
        url, json={"value": "b"}, headers={**api.auth("editor"), "If-Match": '"1"'}
    )

    stale = await api.client.put(
        url, json={"value": "c"}, headers={**api.auth("editor"), "If-Match": '"1"'}
    )

    assert stale.status_code == 409
    assert stale.json()["type"] == PROBLEM + "conflict"
    assert (stale.json()["key"], stale.json()["current_version"]) == ("API_URL", 2)


@pytest.mark.asyncio
async def test_if_match_and_expected_version_must_agree(api: Api) -> None:
    store_id = await api.new_store()
    await _create(api, store_id, "API_URL")

    response = await api.client.put(
        f"{API}/stores/{store_id}/entries/API_URL",
        json={"value": "b", "expected_version": 1},
        headers={**api.auth("editor"), "If-Match": '"2"'},
    )

    assert response.status_code == 422
    assert "disagree" in response.json()["detail"]


@pytest.mark.asyncio
async def test_a_delete_must_say_which_version_it_read(api: Api) -> None:
    store_id = await api.new_store()
    await _create(api, store_id, "API_URL")
    url = f"{API}/stores/{store_id}/entries/API_URL"

    blind = await api.client.delete(url, headers=api.auth("editor"))
    deleted = await api.client.delete(url, headers={**api.auth("editor"), "If-Match": '"1"'})

    assert blind.status_code == 422
    assert deleted.status_code == 204
    assert (await api.client.get(url, headers=api.auth("viewer"))).status_code == 404


@pytest.mark.asyncio
async def test_a_change_set_needs_an_idempotency_key_and_replays_it(api: Api) -> None:
    store_id = await api.new_store()
    url = f"{API}/stores/{store_id}/changesets"
    body = {"operations": [{"kind": "create", "key": "A", "type": "text", "value": "1"}]}

    missing = await api.client.post(url, json=body, headers=api.auth("editor"))
    first = await api.client.post(
        url, json=body, headers={**api.auth("editor"), "Idempotency-Key": "k"}
    )
    again = await api.client.post(
        url, json=body, headers={**api.auth("editor"), "Idempotency-Key": "k"}
    )

    assert missing.status_code == 422 and "Idempotency-Key" in missing.json()["detail"]
    assert (first.json()["replayed"], again.json()["replayed"]) == (False, True)
    assert again.json()["entries"] == first.json()["entries"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"key": "A", "type": "text"}', "'body.value' is required"),
        (b'{"key": "A", "type": "blob", "value": "v"}', "'body.type' must be one of: text, secret"),
        (b'{"key": "A", "type": "text", "value": 3}', "'body.value' must be a string"),
        (b'{"key": "A", "type": "text", "value": "v", "extra": 1}', "unknown fields: extra"),
    ],
)
async def test_malformed_bodies_are_422_naming_the_field(
    api: Api, body: bytes, detail: str
) -> None:
    store_id = await api.new_store()

    response = await api.client.post(
        f"{API}/stores/{store_id}/entries",
        content=body,
        headers={**api.auth("editor"), "Content-Type": "application/json"},
    )

    assert response.status_code == 422
    assert detail in response.json()["detail"]


@pytest.mark.asyncio
async def test_unknown_things_are_404_problems(api: Api) -> None:
    store = await api.client.get(f"{API}/stores/nope/entries", headers=api.auth("viewer"))
    route = await api.client.get(f"{API}/nothing-here", headers=api.auth("viewer"))
    method = await api.client.patch(f"{API}/stores", headers=api.auth("viewer"))

    assert (store.status_code, store.json()["type"]) == (404, PROBLEM + "not-found")
    assert (route.status_code, route.json()["type"]) == (404, PROBLEM + "no-route")
    assert method.status_code == 405 and "GET" in method.headers["allow"]
    for response in (store, route, method):
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["instance"] == "urn:request:" + response.headers["x-request-id"]


@pytest.mark.parametrize(
    "error",
    [
        NotFoundError("No such store."),
        ConflictError("A changed.", key="A", current_version=3),
        ValidationError("Bad key.", [Finding(Severity.ERROR, "key-invalid", "Bad key.", key="1A")]),
        PermissionDeniedError("No."),
        AuthenticationError("Who?"),
        LimitExceededError("Too big."),
        UnavailableError("Busy."),
        WebOpsError("Odd."),
    ],
)
def test_problem_details_map_one_to_one_to_typed_errors(error: WebOpsError) -> None:
    problem = to_problem(error)
    back = from_problem(problem, problem["status"])

    assert type(back) is type(error)
    assert back.message == error.message
    if isinstance(error, ConflictError):
        assert isinstance(back, ConflictError)
        assert (back.key, back.current_version) == (error.key, error.current_version)
    if isinstance(error, ValidationError):
        assert isinstance(back, ValidationError)
        assert back.findings == error.findings


def test_every_typed_error_has_its_own_status() -> None:
    errors = [
        NotFoundError,
        ConflictError,
        ValidationError,
        PermissionDeniedError,
        AuthenticationError,
        LimitExceededError,
        UnavailableError,
    ]
    statuses = {to_problem(cls("m"))["status"] for cls in errors}

    assert statuses == {404, 409, 422, 403, 401, 413, 503}


@pytest.mark.asyncio
async def test_the_access_log_has_id_method_path_status_and_time_only(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    store_id = await api.new_store()
    caplog.set_level("INFO", logger="faststore_desktop.server.access")

    response = await api.client.get(
        f"{API}/stores/{store_id}/audit?offset=0&limit=7", headers=api.auth("viewer")
    )

    (line,) = [r.getMessage() for r in caplog.records if r.name.endswith("access")]
    request_id, method, path, status, took = line.split(" ")
    assert request_id == response.headers["x-request-id"]
    assert (method, path, status) == ("GET", f"{API}/stores/{store_id}/audit", "200")
    assert took.endswith("ms")
    assert api.tokens["viewer"] not in caplog.text and "limit=7" not in caplog.text


@pytest.mark.asyncio
@pytest.mark.parametrize("if_match", ['"99999999999999999999999"', '"1.5"', '"-1"', '"v1"'])
async def test_odd_if_match_values_are_422_not_a_server_error(api: Api, if_match: str) -> None:
    store_id = await api.new_store()
    await _create(api, store_id, "API_URL")

    response = await api.client.put(
        f"{API}/stores/{store_id}/entries/API_URL",
        json={"value": "b"},
        headers={**api.auth("editor"), "If-Match": if_match},
    )

    assert response.status_code == 422
    assert "entry version" in response.json()["detail"]


@pytest.mark.asyncio
@pytest.mark.parametrize("offset", ["99999999999999999999", "²", "-3", "1e3"])
async def test_odd_query_integers_are_422_naming_the_range(api: Api, offset: str) -> None:
    store_id = await api.new_store()

    response = await api.client.get(
        f"{API}/stores/{store_id}/deployments",
        params={"offset": offset},
        headers=api.auth("viewer"),
    )

    assert response.status_code == 422
    assert "'offset' must be an integer from 0 to 2147483647" in response.json()["detail"]
