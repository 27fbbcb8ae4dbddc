"""The OpenAPI document: the committed copy is what the server generates and serves, it lists
exactly the server's routes, and a bounded schemathesis run against a live server finds no 5xx
and no response that disagrees with it."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from serverkit import Served

from faststore_desktop.webops.http.bodies import API_PREFIX
from faststore_desktop.webops.server.api import OPERATIONS
from faststore_desktop.webops.server.openapi import openapi_document

COMMITTED = Path(__file__).parents[2] / "docs" / "api" / "openapi.yaml"
STREAMS = {op.name for op in OPERATIONS if op.stream}
EXAMPLES = 6
#: A schema-valid request may still break a rule the schema cannot say (a reserved key, a lint
#: error, a name made only of spaces): those are documented 422s, not failures.
BUSINESS_RULES = positive_data_acceptance


def _committed() -> dict:
    return yaml.safe_load(COMMITTED.read_text())


def test_the_committed_document_is_the_generated_one() -> None:
    generated = json.loads(json.dumps(openapi_document()))

    assert _committed() == generated, (
        "docs/api/openapi.yaml is stale: run "
        "`python -m faststore_desktop.webops.server.openapi > docs/api/openapi.yaml`"
    )


def test_the_document_lists_exactly_the_server_routes() -> None:
    from faststore_desktop.webops.server.app import ServerState, create_app

    app = create_app(ServerState(open_backend=None, tokens=None))  # type: ignore[arg-type]
    routes = {(m, r.path) for r in app.routes for m in r.methods - {"HEAD"}}  # type: ignore[attr-defined]
    documented = {(m.upper(), p) for p, ops in _committed()["paths"].items() for m in ops}

    assert routes == documented


def test_every_operation_documents_its_answers() -> None:
    for path, operations in _committed()["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert any(code.startswith("2") for code in codes), (method, path)
            if path.startswith(API_PREFIX + "/") and operation.get("security") != []:
                assert {"401", "403", "429"} <= codes, (method, path)


def test_only_a_change_set_requires_an_idempotency_key() -> None:
    """The server answers 422 to a change set without one; every other mutation takes it or not."""
    required = {
        operation["operationId"]: parameter["required"]
        for operations in _committed()["paths"].values()
        for operation in operations.values()
        for parameter in operation.get("parameters", ())
        if parameter["in"] == "header" and parameter["name"] == "Idempotency-Key"
    }

    assert required.pop("applyChangeSet") is True
    assert {"createEntry", "updateEntry", "deleteEntry", "createStore"} <= set(required)
    assert set(required.values()) == {False}


@pytest.mark.asyncio
async def test_the_server_serves_the_committed_document(served: Served) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.get(served.base_url + API_PREFIX + "/openapi.json")

    assert response.json() == _committed()


@pytest.mark.slow
def test_fuzzing_finds_no_server_error_and_no_nonconforming_answer(served: Served) -> None:
    headers = {"Authorization": f"Bearer {served.tokens['admin']}"}
    store = httpx.post(
        served.base_url + API_PREFIX + "/stores", json={"name": "Fuzzed"}, headers=headers
    ).json()
    schema = schemathesis.openapi.from_path(COMMITTED)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.definition.raw.get("operationId") in STREAMS:
            continue
        fixed = {"store_id": store["id"]} if "{store_id}" in operation.path else {}
        strategy = operation.as_strategy(
            GenerationMode.POSITIVE, path_parameters=fixed, headers=headers
        )

        @given(case=strategy)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            try:
                case.call_and_validate(
                    base_url=served.base_url, headers=headers, excluded_checks=[BUSINESS_RULES]
                )
            except Exception as error:  # a failed check; keep going to see them all
                failures.append(f"{case.method} {case.formatted_path}: {error}")

        check()

    assert failures == []
