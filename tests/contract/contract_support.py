"""Helpers of the contract suite: the sample build, and waiting on deployments (protocol only)."""

from __future__ import annotations

from pathlib import Path

from async_support import wait_for

from faststore_desktop.webops.models import BuildStep, Deployment, DeploymentStatus
from faststore_desktop.webops.protocol import WebOps

#: Every implementation acts as this user (the HTTP one through a token owned by it).
ACTOR = "contract@example.com"

#: The store's build: needs FS_DISCOVERY_APP_KEY, proves it sees CANARY without printing it,
#: writes a client bundle with the NEXT_PUBLIC_ values, and waits when BUILD_MODE is "slow".
BUILD_SCRIPT = """
import hashlib, os, pathlib, sys, time
print("build starting")
for i in range(5):
    print(f"line {i}")
print("a warning", file=sys.stderr)
if os.environ.get("CANARY"):
    digest = hashlib.sha256(os.environ["CANARY"].encode()).hexdigest()
    print("canary seen" if digest == os.environ.get("CANARY_SHA256") else "canary differs")
if os.environ.get("BUILD_MODE") == "slow":
    print("waiting", flush=True)
    time.sleep(60)
if not os.environ.get("FS_DISCOVERY_APP_KEY"):
    print("FS_DISCOVERY_APP_KEY is missing", file=sys.stderr)
    sys.exit(3)
bundle = pathlib.Path(".next/static/app.js")
bundle.parent.mkdir(parents=True, exist_ok=True)
public = {k: v for k, v in os.environ.items() if k.startswith("NEXT_PUBLIC_")}
bundle.write_text(repr(sorted(public.items())))
print("build done")
"""

BUILD_STEPS = (
    BuildStep("Build", ("@python", "build.py")),
    BuildStep("Leak scan", ("@leak-scan",)),
)


def store_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    folder.mkdir(exist_ok=True)
    (folder / "build.py").write_text(BUILD_SCRIPT, encoding="utf-8")
    return folder


async def wait_until_finished(
    webops: WebOps, store_id: str, deployment_id: str, *, seconds: float = 60
) -> Deployment:
    return await wait_for(
        lambda: webops.get_deployment(store_id, deployment_id),
        lambda deployment: deployment.status.finished,
        seconds,
        "the deployment to finish",
    )


async def wait_for_status(
    webops: WebOps,
    store_id: str,
    deployment_id: str,
    status: DeploymentStatus,
    *,
    seconds: float = 60,
) -> Deployment:
    return await wait_for(
        lambda: webops.get_deployment(store_id, deployment_id),
        lambda deployment: deployment.status is status,
        seconds,
        f"the deployment to be {status}",
    )


async def log_text(webops: WebOps, store_id: str, deployment_id: str, step: str) -> list[str]:
    return [line.text async for line in webops.follow_log(store_id, deployment_id, step)]
