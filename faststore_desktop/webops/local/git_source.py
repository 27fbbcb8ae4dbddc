"""Read what a deployment builds from the store folder's git: commit, branch, author, subject."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
from pathlib import Path

from faststore_desktop.webops.models import Source

#: git answers these at once; a hung git (a network file system) must not hold a deployment.
GIT_TIMEOUT_SECONDS = 10.0
_FIELD_SEPARATOR = "\x1f"
_NO_SOURCE = Source(commit="", branch="", author="", message="")


async def read_source(store_dir: Path) -> Source:
    """The checked-out commit of `store_dir`; empty fields when there is none or no git."""
    head = await _git(
        store_dir, "log", "-1", f"--format=%H{_FIELD_SEPARATOR}%an{_FIELD_SEPARATOR}%s"
    )
    branch = await _git(store_dir, "symbolic-ref", "--quiet", "--short", "HEAD")
    commit, author, message = (*head.split(_FIELD_SEPARATOR, 2), "", "")[:3] if head else ("",) * 3
    if not (commit or branch):
        return _NO_SOURCE
    return Source(commit=commit, branch=branch, author=author, message=message)


async def _git(store_dir: Path, *args: str) -> str:
    """git's output with the trailing newline removed, or "" when git fails or is missing."""
    try:
        process = await asyncio.create_subprocess_exec(
            "git",
            *args,
            cwd=store_dir,
            env=git_environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError:  # git not installed, or the folder is gone
        return ""
    try:
        output, _ = await asyncio.wait_for(process.communicate(), GIT_TIMEOUT_SECONDS)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
        return ""
    if process.returncode != 0:
        return ""
    return output.decode("utf-8", errors="replace").rstrip("\n")


def git_environment() -> dict[str, str]:
    """The app's environment without GIT_* variables that would point git somewhere else."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    env["GIT_TERMINAL_PROMPT"] = "0"
    return env
