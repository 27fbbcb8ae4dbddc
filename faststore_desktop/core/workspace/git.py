"""A thin wrapper around the real `git` command, run in a store's code folder.

Every call is synchronous and may take a while on a large repository: the UI runs them through
`asyncio.to_thread` (see the `*_async` helpers of the modules that use this one). Anything that
could be a secret value is passed on stdin, never on the command line, where other users of the
machine could read it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


class GitError(Exception):
    """A git command failed; `message` is fit to show a user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class GitNotInstalledError(GitError):
    def __init__(self) -> None:
        super().__init__("git is not installed (or not on PATH): the git checks are unavailable.")


class NotARepositoryError(GitError):
    def __init__(self, folder: Path) -> None:
        super().__init__(f"{folder} is not inside a git repository: the git checks are skipped.")


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    # Stable, parseable output and never a prompt waiting for a password nobody will type.
    env.update({"LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"})
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    return env


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    author: str
    date: str
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:8]


#: `git log --format` for Commit: fields separated by US, records ended by NUL (-z).
LOG_FORMAT = "--format=%H%x1f%an%x1f%aI%x1f%s"


def parse_commits(output: str) -> list[Commit]:
    commits = []
    for record in output.split("\0"):
        fields = record.strip("\n").split("\x1f")
        if len(fields) == 4:
            commits.append(Commit(*fields))
    return commits


@dataclass(frozen=True, slots=True)
class GitRepo:
    """A git work tree, addressed from `folder` (the store folder, possibly below the top)."""

    folder: Path
    top: Path

    @classmethod
    def open(cls, folder: Path) -> GitRepo:
        """Raises GitNotInstalledError or NotARepositoryError."""
        if shutil.which("git") is None:
            raise GitNotInstalledError
        result = _run(folder, ["rev-parse", "--show-toplevel"], ok=(0, 128))
        if result.returncode != 0:
            raise NotARepositoryError(folder)
        return cls(folder, Path(result.stdout.decode().strip()))

    @classmethod
    async def open_async(cls, folder: Path) -> GitRepo:
        return await asyncio.to_thread(cls.open, folder)

    def run(
        self, args: Sequence[str], *, stdin: bytes | None = None, ok: Sequence[int] = (0,)
    ) -> subprocess.CompletedProcess[bytes]:
        return _run(self.folder, args, stdin=stdin, ok=ok)

    def text(self, args: Sequence[str], *, stdin: bytes | None = None) -> str:
        return self.run(args, stdin=stdin).stdout.decode("utf-8", "replace")

    @contextmanager
    def stream(self, args: Sequence[str]) -> Iterator[Iterator[bytes]]:
        """Lines of a long output (such as `log -p`) without holding all of it in memory."""
        process = subprocess.Popen(
            ["git", *args],
            cwd=self.folder,
            env=_environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert process.stdout is not None
        try:
            yield iter(process.stdout)
        finally:
            process.stdout.close()
            if process.wait() not in (0, -13):  # -13: SIGPIPE when the reader stopped early
                raise GitError(f"git {args[0]} failed (exit {process.returncode}).")


def _run(
    folder: Path, args: Sequence[str], *, stdin: bytes | None = None, ok: Sequence[int] = (0,)
) -> subprocess.CompletedProcess[bytes]:
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=folder,
            env=_environment(),
            input=stdin if stdin is not None else b"",
            capture_output=True,
            check=False,
        )
    except FileNotFoundError as error:
        if not folder.is_dir():
            raise GitError(f"The folder {folder} does not exist.") from error
        raise GitNotInstalledError from error
    if result.returncode not in ok:
        reason = result.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = reason[-1] if reason else f"exit {result.returncode}"
        raise GitError(f"git {args[0]} failed: {detail}")
    return result
