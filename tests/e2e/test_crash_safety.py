"""kill -9 in the middle of an apply and of a deployment: on reopen nothing is half-done."""

from __future__ import annotations

import asyncio
import secrets
import signal
import sys
from pathlib import Path

import pytest

from faststore_desktop.core import changeset
from faststore_desktop.core.changeset import ChangeSet
from faststore_desktop.core.entries import EntryType
from faststore_desktop.webops.local.service import LocalWebOps
from faststore_desktop.webops.models import BuildStep, DeploymentStatus, StoreConfig

CHILD = Path(__file__).with_name("crash_child.py")
KEYS = 2000
#: Prints ticks until its parent (the killed app) is gone, then exits.
SLOW_BUILD = """
import os, sys, time
parent = os.getppid()
tick = 0
while os.getppid() == parent:
    print(f"tick {tick}", flush=True)
    tick += 1
    time.sleep(0.05)
"""


async def _start_child(
    mode: str, data_dir: Path, store_id: str, key: bytes
) -> asyncio.subprocess.Process:
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        str(CHILD),
        mode,
        str(data_dir),
        store_id,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdin is not None
    child.stdin.write(key.hex().encode() + b"\n")
    await child.stdin.drain()
    child.stdin.close()
    return child


async def _kill_when(child: asyncio.subprocess.Process, prefix: str) -> str:
    """Kill -9 the child once it prints a line starting with `prefix`; return that line."""
    assert child.stdout is not None
    try:
        async with asyncio.timeout(60):
            while True:
                line = (await child.stdout.readline()).decode()
                assert line, "the child ended before the moment to kill it"
                if line.startswith(prefix):
                    break
    finally:
        child.send_signal(signal.SIGKILL)
        await child.wait()
        await child.stdout.read()
    return line.strip()


@pytest.mark.asyncio
@pytest.mark.slow
async def test_kill_during_apply_leaves_no_half_applied_change_set(tmp_path: Path) -> None:
    key, data_dir = secrets.token_bytes(32), tmp_path / "data"
    webops = await LocalWebOps.open(data_dir, key, actor="parent")
    store = await webops.create_store(StoreConfig(name="Crash"))
    await webops.apply(
        store.id,
        ChangeSet(changeset.create(f"KEY_{i:04}", EntryType.TEXT, "round-0") for i in range(KEYS)),
        idempotency_key="seed",
    )
    await webops.close()

    child = await _start_child("apply", data_dir, store.id, key)
    await _kill_when(child, "applying 4")

    reopened = await LocalWebOps.open(data_dir, key, actor="parent")
    try:
        entries = await reopened.list_entries(store.id)
        history = await reopened.entry_history(store.id, "KEY_0000")
    finally:
        await reopened.close()
    assert len(entries) == KEYS
    rounds = {(e.version, e.value) for e in entries}
    assert len(rounds) == 1, f"half-applied: {sorted(rounds)[:3]}..."
    version, value = rounds.pop()
    assert value == f"round-{version - 1}"
    assert version >= 4  # rounds 1-3 were committed before the kill
    assert len(history) == version


@pytest.mark.asyncio
@pytest.mark.slow
async def test_kill_during_a_deployment_marks_it_interrupted_and_keeps_its_log(
    tmp_path: Path,
) -> None:
    key, data_dir, folder = secrets.token_bytes(32), tmp_path / "data", tmp_path / "store"
    folder.mkdir()
    (folder / "build.py").write_text(SLOW_BUILD)
    webops = await LocalWebOps.open(data_dir, key, actor="parent")
    store = await webops.create_store(
        StoreConfig(
            name="Crash",
            folder=str(folder),
            build_steps=(
                BuildStep("Build", ("@python", "build.py")),
                BuildStep("Scan", ("@leak-scan",)),
            ),
        )
    )
    await webops.close()

    child = await _start_child("deploy", data_dir, store.id, key)
    deployment_id = (await _kill_when(child, "running ")).split()[1]

    reopened = await LocalWebOps.open(data_dir, key, actor="parent")
    try:
        deployment = await reopened.get_deployment(store.id, deployment_id)
        lines = [line async for line in reopened.follow_log(store.id, deployment_id, "Build")]
    finally:
        await reopened.close()
    assert deployment.status is DeploymentStatus.FAILED
    assert deployment.error == "interrupted"
    assert [(s.status, s.error) for s in deployment.steps] == [
        (DeploymentStatus.FAILED, "interrupted"),
        (DeploymentStatus.CANCELED, ""),
    ]
    texts = [line.text for line in lines]
    ticks = [text for text in texts if text.startswith("tick ")]
    assert ticks[:4] == ["tick 0", "tick 1", "tick 2", "tick 3"]
    assert "interrupted" in texts[-1]
    assert deployment.steps[0].log_lines == len(lines)
