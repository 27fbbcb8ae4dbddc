"""The sample store a first run opens, so a new user sees a working store at once.

Its files are copied from resources/sample-store into the user's data directory and committed
to a fresh git repository, so deployments have a source. Its build is a Python script run with
the app's own interpreter: no network, no npm, and it works from the packaged binary too.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import shutil
import string
import subprocess
from pathlib import Path

from faststore_desktop.core.changeset import ChangeSet, create
from faststore_desktop.core.entries import EntryType
from faststore_desktop.resources import resource_path
from faststore_desktop.webops.local.git_source import git_environment
from faststore_desktop.webops.local.runner import LEAK_SCAN, PYTHON
from faststore_desktop.webops.models import BuildStep, Store, StoreConfig
from faststore_desktop.webops.protocol import WebOps

SAMPLE_NAME = "Sample store"
SAMPLE_ACCOUNT = "storeframework"
SAMPLE_BRANCH = "main"
SAMPLE_FOLDER = "sample-store"
SAMPLE_STEPS = (
    BuildStep("Build", (PYTHON, "build.py")),
    BuildStep("Leak scan", (LEAK_SCAN,)),
)
_COMMITTER = ("FastStore Desktop", "sample-store@faststore-desktop.invalid")

log = logging.getLogger(__name__)


def install_sample_store(target: Path) -> StoreConfig:
    """Copy the sample store to `target` (which must not exist), commit it, describe it."""
    shutil.copytree(
        resource_path(SAMPLE_FOLDER),
        target,
        ignore=shutil.ignore_patterns(".next", "node_modules", "__pycache__", ".git"),
    )
    _commit_all(target, "Sample store: initial commit")
    return StoreConfig(
        name=SAMPLE_NAME,
        vtex_account=SAMPLE_ACCOUNT,
        folder=str(target),
        production_branch=SAMPLE_BRANCH,
        build_steps=SAMPLE_STEPS,
    )


async def ensure_sample_store(webops: WebOps, stores_dir: Path) -> Store:
    """The first store; on a first run (no store yet) the sample store, installed and seeded."""
    existing = await webops.list_stores()
    if existing:
        return existing[0]
    config = await asyncio.to_thread(
        lambda: install_sample_store(_unused_folder(stores_dir / SAMPLE_FOLDER))
    )
    store = await webops.create_store(config)
    await webops.apply(store.id, sample_entries(), idempotency_key=f"sample-seed-{store.id}")
    return store


def sample_entries() -> ChangeSet:
    """Realistic entries; the credentials are random (they open nothing) and kept secret."""
    app_key = f"vtexappkey-{SAMPLE_ACCOUNT}-{_random(string.ascii_uppercase, 6)}"
    app_token = _random(string.ascii_uppercase, 64)
    return ChangeSet(
        [
            create("VTEX_ACCOUNT", EntryType.TEXT, SAMPLE_ACCOUNT),
            create("NEXT_PUBLIC_STORE_URL", EntryType.TEXT, f"https://{SAMPLE_ACCOUNT}.vtex.app"),
            create("NEXT_PUBLIC_DEFAULT_LOCALE", EntryType.TEXT, "en-US"),
            create("FS_DISCOVERY_APP_KEY", EntryType.SECRET, app_key),
            create("FS_DISCOVERY_APP_TOKEN", EntryType.SECRET, app_token),
        ]
    )


def _random(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def _unused_folder(wanted: Path) -> Path:
    """`wanted`, or `wanted-2`, `wanted-3`... when a folder (say, of a failed run) is there."""
    candidate, number = wanted, 1
    while candidate.exists():
        number += 1
        candidate = wanted.with_name(f"{wanted.name}-{number}")
    return candidate


def _commit_all(folder: Path, message: str) -> None:
    """Make `folder` a git repository with one commit; without git, deployments show no commit."""
    name, email = _COMMITTER
    commands = (
        ("init", "--quiet"),
        ("symbolic-ref", "HEAD", f"refs/heads/{SAMPLE_BRANCH}"),  # whatever init.defaultBranch is
        ("add", "--all"),
        ("-c", f"user.name={name}", "-c", f"user.email={email}", "-c", "commit.gpgsign=false",
         "commit", "--quiet", "--no-verify", "-m", message),
    )  # fmt: skip
    try:
        for args in commands:
            subprocess.run(
                ["git", *args],
                cwd=folder,
                env=git_environment(),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                check=True,
            )
    except (OSError, subprocess.CalledProcessError) as exc:
        log.warning(
            "The sample store is not a git repository (%s): deployments show no commit", exc
        )
