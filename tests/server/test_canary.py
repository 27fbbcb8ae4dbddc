"""A canary secret value, sent through every kind of request (and failed ones), never appears in
the server's log nor in any response, log stream included."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import httpx
import pytest
from serverkit import Served

from faststore_desktop.core import changeset
from faststore_desktop.core.entries import EntryType
from faststore_desktop.webops.errors import WebOpsError
from faststore_desktop.webops.http.client import HttpWebOps
from faststore_desktop.webops.models import BuildStep, StoreConfig

PRINT_ENV = "import os; print('token is', os.environ['FS_DISCOVERY_APP_TOKEN'], flush=True)"


@pytest.mark.asyncio
@pytest.mark.slow
async def test_a_canary_secret_is_in_no_log_and_no_response(served: Served, tmp_path: Path) -> None:
    canaries = [f"canary-{secrets.token_hex(8)}" for _ in range(4)]
    bodies: list[bytes] = []

    async def keep_body(response: httpx.Response) -> None:
        if "text/event-stream" not in response.headers.get("content-type", ""):
            bodies.append(await response.aread())

    folder = tmp_path / "store"
    folder.mkdir()
    config = StoreConfig(
        name="Shop",
        folder=str(folder),
        build_steps=(BuildStep("Build", (sys.executable, "-c", PRINT_ENV)),),
    )
    errors: list[str] = []
    streamed: list[str] = []
    async with httpx.AsyncClient(event_hooks={"response": [keep_body]}) as client:
        webops = HttpWebOps(served.base_url, served.tokens["admin"], client=client)
        store = await webops.create_store(config)
        key = "FS_DISCOVERY_APP_TOKEN"
        await webops.create_entry(store.id, key, EntryType.SECRET, canaries[0])
        await webops.update_entry(store.id, key, canaries[1], expected_version=1)
        await webops.apply(
            store.id,
            changeset.ChangeSet([changeset.create("OTHER_SECRET", EntryType.SECRET, canaries[2])]),
            idempotency_key="canary-batch",
        )
        await webops.rollback_entry(store.id, key, 1, expected_version=2)
        failing = [
            webops.update_entry(store.id, key, canaries[3], expected_version=1),  # stale: 409
            webops.create_entry(store.id, key, EntryType.SECRET, canaries[3]),  # exists: 409
            webops.create_entry(store.id, "BIG", EntryType.SECRET, canaries[3] * 5000),  # 422
            webops.create_entry(store.id, "1BAD", EntryType.SECRET, canaries[3]),  # 422
        ]
        for call in failing:
            with pytest.raises(WebOpsError) as caught:
                await call
            errors.append(f"{caught.value.message} {caught.value!r}")
        await webops.list_entries(store.id)
        await webops.get_entry(store.id, key)
        await webops.entry_history(store.id, key)
        await webops.audit_trail(store.id)
        deployment = await webops.create_deployment(store.id, "canary")
        streamed = [line.text async for line in webops.follow_log(store.id, deployment.id, "Build")]

    everything = b"\n".join(bodies).decode() + "\n".join(errors + streamed)
    assert len(bodies) >= 12
    assert any("token is" in line for line in streamed)  # the build did print its secret...
    log = served.process.log_text()
    assert "POST /api/v1/stores/" in log
    assert all(token not in log for token in served.tokens.values())
    for canary in canaries:
        assert canary not in everything  # ...but masked, like every other answer
        assert canary not in log
