"""One change set of N entries against N single-entry requests, embedded and over HTTP.

Both sides create the same number of fresh entries in a fresh store, side by side. Over HTTP the
server is a real `faststore-desktop serve` child process on loopback, the client `HttpWebOps`.
"""

from __future__ import annotations

import secrets
import tempfile
import time
from pathlib import Path

from benchmarks.alternate import alternate_async
from benchmarks.loops import run_plain
from benchmarks.plan import Plan
from benchmarks.report import AtLeastTimesFaster, Row, compared
from benchmarks.seed import entry_creates, open_local
from faststore_desktop.webops.models import StoreConfig
from faststore_desktop.webops.protocol import WebOps


def run(plan: Plan) -> list[Row]:
    size = f"{plan.changeset_entries:,}"
    rows = []
    for where, measure in (("embedded", _embedded), ("HTTP", _over_http)):
        sets, singles = run_plain(lambda measure=measure: measure(plan))  # type: ignore[misc]
        rows.append(
            compared(
                f"apply a change set of {size} entries ({where})",
                "ms",
                sets,
                f"{size} single creates",
                singles,
                AtLeastTimesFaster(20),
            )
        )
    return rows


async def _embedded(plan: Plan) -> tuple[list[float], list[float]]:
    with tempfile.TemporaryDirectory(prefix="fsd-bench-apply-") as root:
        webops = await open_local(Path(root))
        try:
            return await _side_by_side(webops, plan)
        finally:
            await webops.close()


async def _over_http(plan: Plan) -> tuple[list[float], list[float]]:
    from benchmarks.served import served_webops

    with tempfile.TemporaryDirectory(prefix="fsd-bench-apply-http-") as root:
        async with served_webops(Path(root)) as webops:
            return await _side_by_side(webops, plan)


async def _side_by_side(webops: WebOps, plan: Plan) -> tuple[list[float], list[float]]:
    async def one_change_set() -> float:
        store = await webops.create_store(StoreConfig(name="Change set"))
        changes = entry_creates(plan.changeset_entries)
        started = time.perf_counter()
        await webops.apply(store.id, changes, idempotency_key=secrets.token_hex(16))
        return (time.perf_counter() - started) * 1000

    async def single_creates() -> float:
        store = await webops.create_store(StoreConfig(name="Singles"))
        changes = entry_creates(plan.changeset_entries)
        started = time.perf_counter()
        for op in changes:
            assert op.type is not None and op.value is not None
            await webops.create_entry(store.id, op.key, op.type, op.value)
        return (time.perf_counter() - started) * 1000

    return await alternate_async(one_change_set, single_creates, plan.apply_pairs)
