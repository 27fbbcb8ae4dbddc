"""A process the crash tests kill -9 in the middle of its work.

Reads the data key (hex) from stdin, never from its command line. Modes:
- apply DATA_DIR STORE_ID: applies rounds of one change set updating every key, forever;
- deploy DATA_DIR STORE_ID: starts a deployment whose build runs until it is killed.
Prints a line per milestone so the test knows when to strike.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from faststore_desktop.core import changeset
from faststore_desktop.core.changeset import ChangeSet
from faststore_desktop.webops.local.service import LocalWebOps


async def apply_forever(webops: LocalWebOps, store_id: str) -> None:
    for round_ in range(1, 10_000):
        entries = await webops.list_entries(store_id)
        changes = ChangeSet(
            changeset.update(e.key, f"round-{round_}", expected_version=e.version) for e in entries
        )
        print(f"applying {round_}", flush=True)
        await webops.apply(store_id, changes, idempotency_key=f"round-{round_}")


async def deploy_and_wait(webops: LocalWebOps, store_id: str) -> None:
    deployment = await webops.create_deployment(store_id, "crash test")
    async for line in webops.follow_log(store_id, deployment.id, "Build"):
        if line.text.startswith("tick 3"):
            print(f"running {deployment.id}", flush=True)
    await asyncio.sleep(3600)


async def main(mode: str, data_dir: str, store_id: str) -> None:
    key = bytes.fromhex(sys.stdin.readline().strip())
    webops = await LocalWebOps.open(Path(data_dir), key, actor="crash-child")
    work = apply_forever if mode == "apply" else deploy_and_wait
    await work(webops, store_id)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
