"""Figures of the WebOps API (not a test; docs/server.md quotes them).

    .venv/bin/python tests/server/measure_api.py

Starts a real server process over a fresh data folder, then measures: one change set of 1,000
entries in one request against 1,000 single-entry requests; log lines per second followed over
SSE; the delay from a build writing a line to the client receiving it.
"""

from __future__ import annotations

import asyncio
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

from faststore_desktop.core import changeset
from faststore_desktop.core.entries import EntryType
from faststore_desktop.webops.http.client import HttpWebOps
from faststore_desktop.webops.models import BuildStep, StoreConfig
from faststore_desktop.webops.server.process import ServerProcess
from faststore_desktop.webops.server.tokens import Role, TokenStore

ENTRIES = 1000
FLOOD_LINES = 20000
TIMED_LINES = 200
FLOOD = f"for i in range({FLOOD_LINES}): print('line', i)"
TIMED = (
    "import time\n"
    f"for i in range({TIMED_LINES}):\n"
    "    print('at', time.time(), flush=True)\n"
    "    time.sleep(0.01)\n"
)


async def measure(base_url: str, token: str, folder: Path) -> None:
    webops = HttpWebOps(base_url, token)
    try:
        store = await webops.create_store(StoreConfig(name="Bench", folder=str(folder)))
        batch = changeset.ChangeSet(
            changeset.create(f"BATCH_{i:04}", EntryType.SECRET, f"v{i}") for i in range(ENTRIES)
        )
        started = time.perf_counter()
        await webops.apply(store.id, batch, idempotency_key=uuid.uuid4().hex)
        one_request = time.perf_counter() - started
        started = time.perf_counter()
        for i in range(ENTRIES):
            await webops.create_entry(store.id, f"SINGLE_{i:04}", EntryType.SECRET, f"v{i}")
        many_requests = time.perf_counter() - started
        print(f"change set of {ENTRIES} entries, one request: {one_request * 1000:.0f} ms")
        print(
            f"{ENTRIES} single-entry requests: {many_requests * 1000:.0f} ms "
            f"({many_requests / one_request:.0f}x)"
        )

        rate = await _follow_build(webops, store.id, FLOOD)
        print(f"SSE log lines per second (a build printing {FLOOD_LINES} lines): {rate:,.0f}")
        delays = await _delays(webops, store.id)
        median, p95 = statistics.median(delays), statistics.quantiles(delays, n=20)[18]
        print(
            f"write-to-receive delay over {len(delays)} lines: median {median:.1f} ms, "
            f"p95 {p95:.1f} ms, max {max(delays):.1f} ms"
        )
    finally:
        await webops.close()


async def _run(webops: HttpWebOps, store_id: str, script: str) -> str:
    store = await webops.get_store(store_id)
    steps = (BuildStep("Build", (sys.executable, "-u", "-c", script)),)
    await webops.configure_store(store_id, replace(store.config, build_steps=steps))
    deployment = await webops.create_deployment(store_id, "measure")
    return deployment.id


async def _follow_build(webops: HttpWebOps, store_id: str, script: str) -> float:
    deployment_id = await _run(webops, store_id, script)
    first = last = 0.0
    count = 0
    async for line in webops.follow_log(store_id, deployment_id, "Build"):
        if line.text.startswith("line "):
            last = time.perf_counter()
            first = first or last
            count += 1
    return count / (last - first)


async def _delays(webops: HttpWebOps, store_id: str) -> list[float]:
    deployment_id = await _run(webops, store_id, TIMED)
    delays = []
    async for line in webops.follow_log(store_id, deployment_id, "Build"):
        if line.text.startswith("at "):
            delays.append((time.time() - float(line.text.split()[1])) * 1000)
    return delays


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        (root / "data").mkdir()
        (root / "store").mkdir()
        tokens = TokenStore.in_dir(root / "data")
        token = tokens.create("bench", Role.ADMIN)
        tokens.close()
        server = ServerProcess(root / "data", secrets.token_bytes(32), root / "server.log").start()
        try:
            asyncio.run(measure(server.base_url, token, root / "store"))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
