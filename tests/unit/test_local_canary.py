"""A canary value set through the protocol never reaches the disk, a log, the audit or an error."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import secrets
import urllib.parse
from pathlib import Path

import pytest

from faststore_desktop.core import changeset
from faststore_desktop.core.changeset import ChangeSet
from faststore_desktop.core.entries import EntryType
from faststore_desktop.core.leakscan import encoded_forms
from faststore_desktop.webops.errors import WebOpsError
from faststore_desktop.webops.local.masking import MASK
from faststore_desktop.webops.local.service import LocalWebOps
from faststore_desktop.webops.models import (
    BuildStep,
    Deployment,
    DeploymentStatus,
    Store,
    StoreConfig,
)

BUILD = """
import hashlib, os
seen = hashlib.sha256(os.environ["CANARY"].encode()).hexdigest() == os.environ["CANARY_SHA256"]
print("canary seen" if seen else "canary missing")
print("echo:", os.environ["CANARY"])
print("text echo:", os.environ["TEXT_CANARY"])
"""


async def _finished(webops: LocalWebOps, store_id: str, deployment_id: str) -> Deployment:
    deadline = asyncio.get_running_loop().time() + 60
    while (deployment := await webops.get_deployment(store_id, deployment_id)).status in {
        DeploymentStatus.QUEUED,
        DeploymentStatus.IN_PROGRESS,
    }:
        assert asyncio.get_running_loop().time() < deadline, "the deployment did not finish"
        await asyncio.sleep(0.05)
    return deployment


async def _store_building_with(tmp_path: Path, script: str) -> tuple[LocalWebOps, Store]:
    """The embedded store in `tmp_path/data`, with a store whose build runs `script`."""
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / "build.py").write_text(script)
    webops = await LocalWebOps.open(tmp_path / "data", secrets.token_bytes(32), actor="tester")
    try:
        store = await webops.create_store(
            StoreConfig(
                name="Canary",
                folder=str(folder),
                build_steps=(BuildStep("Build", ("@python", "build.py")),),
            )
        )
    except BaseException:
        await webops.close()
        raise
    return webops, store


def _forms(value: str) -> list[bytes]:
    raw = value.encode()
    return [raw, base64.b64encode(raw), urllib.parse.quote(value).encode(), raw.hex().encode()]


def _files_holding(root: Path, needles: list[bytes]) -> list[str]:
    """Files under `root` holding a needle (a file root stands for itself, its -wal and -shm)."""
    paths = root.parent.glob(root.name + "*") if root.is_file() else root.rglob("*")
    return [
        path.name
        for path in paths
        if path.is_file() and any(needle in path.read_bytes() for needle in needles)
    ]


@pytest.mark.asyncio
async def test_canary_secret_is_nowhere_but_in_the_build_environment(tmp_path: Path) -> None:
    canary = "canary-" + secrets.token_hex(12)
    text_canary = "textcanary-" + secrets.token_hex(12)
    data_dir = tmp_path / "data"
    webops, store = await _store_building_with(tmp_path, BUILD)
    errors: list[str] = []
    try:
        await webops.apply(
            store.id,
            ChangeSet(
                [
                    changeset.create("CANARY", EntryType.SECRET, canary),
                    changeset.create("TEXT_CANARY", EntryType.TEXT, text_canary),
                    changeset.create(
                        "CANARY_SHA256", EntryType.TEXT, hashlib.sha256(canary.encode()).hexdigest()
                    ),
                ]
            ),
            idempotency_key="canary",
        )
        await webops.update_entry(store.id, "CANARY", canary + "-2", expected_version=1)
        await webops.rollback_entry(store.id, "CANARY", 1, expected_version=2)
        for failing in (
            webops.create_entry(store.id, "CANARY", EntryType.SECRET, canary),
            webops.update_entry(store.id, "CANARY", canary, expected_version=1),
            webops.create_entry(store.id, "NEXT_PUBLIC_X", EntryType.SECRET, canary),
            webops.create_entry(store.id, "BAD KEY", EntryType.SECRET, canary + "\x00"),
        ):
            with pytest.raises(WebOpsError) as caught:
                await failing
            errors += [str(caught.value), repr(caught.value), repr(caught.value.__dict__)]
        deployment = await webops.create_deployment(store.id, "canary build")
        lines = [line.text async for line in webops.follow_log(store.id, deployment.id, "Build")]
        done = await _finished(webops, store.id, deployment.id)
        audit = await webops.audit_trail(store.id)
        history = await webops.entry_history(store.id, "CANARY")
        listed = await webops.list_entries(store.id)

        assert done.status is DeploymentStatus.SUCCESS, done.error
        assert "canary seen" in lines
        assert not any(canary in line for line in lines)
        assert any(text_canary in line for line in lines)  # text values are not masked
        assert not any(canary in repr(record) for record in audit)
        assert all(version.value is None for version in history)
        assert not any(canary in repr(entry) or entry.value == canary for entry in listed)
        assert not any(canary in text for text in errors)
        # While open: the database, its WAL and shared memory files, and the logs. A text
        # value is encrypted at rest too, but a build may print it: only the log holds it.
        assert (data_dir / "webops.sqlite3-wal").exists()
        assert _files_holding(data_dir, _forms(canary)) == []
        assert all(
            name.endswith(".jsonl") for name in _files_holding(data_dir, _forms(text_canary))
        )
    finally:
        await webops.close()
    assert _files_holding(data_dir, _forms(canary)) == []
    assert _files_holding(data_dir / "webops.sqlite3", _forms(text_canary)) == []


ENCODED_BUILD = """
import base64, json, os, urllib.parse
value = os.environ["CANARY"]
print("plain:", value)
print("base64:", base64.b64encode(value.encode()).decode())
print("inside a blob:", base64.b64encode(b"{'token': '" + value.encode() + b"'}").decode())
print("url-safe base64:", base64.urlsafe_b64encode(value.encode()).decode())
print("url-encoded:", urllib.parse.quote(value, safe=""))
print("form-encoded:", urllib.parse.urlencode({"token": value}))
print("json:", json.dumps({"token": value}))
print("json, not ascii:", json.dumps({"token": value}, ensure_ascii=False))
"""


@pytest.mark.asyncio
async def test_a_build_printing_a_secret_encoded_leaves_no_form_of_it_in_the_log(
    tmp_path: Path,
) -> None:
    canary = f'canary-{secrets.token_hex(8)}/"é+ &'
    data_dir = tmp_path / "data"
    webops, store = await _store_building_with(tmp_path, ENCODED_BUILD)
    try:
        await webops.create_entry(store.id, "CANARY", EntryType.SECRET, canary)
        deployment = await webops.create_deployment(store.id, "encoded canary")
        followed = [line.text async for line in webops.follow_log(store.id, deployment.id, "Build")]
        done = await _finished(webops, store.id, deployment.id)
    finally:
        await webops.close()

    assert done.status is DeploymentStatus.SUCCESS, done.error
    printed = [line for line in followed if ":" in line and not line.startswith("$")]
    assert len(printed) == 8 and all(MASK in line for line in printed), printed
    needles = _every_form(canary)
    assert [line for line in followed if any(n in line.encode() for n in needles)] == []
    (log_file,) = (data_dir / "deploy-logs").rglob("*.jsonl")
    written = [json.loads(raw)["text"] for raw in log_file.read_text().splitlines()]
    assert written == followed
    assert _files_holding(data_dir, needles) == []


def _every_form(value: str) -> list[bytes]:
    """What the leak scan searches for, the whole encodings a build prints, and their JSON."""
    raw = value.encode()
    whole = [
        base64.b64encode(raw),
        base64.urlsafe_b64encode(raw),
        urllib.parse.quote(value, safe="").encode(),
        urllib.parse.quote_plus(value).encode(),
        json.dumps(value).encode(),
    ]
    forms = [needle for _, needle in encoded_forms(value)] + whole
    return forms + [json.dumps(form.decode()).strip('"').encode() for form in forms]
