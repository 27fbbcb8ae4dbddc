"""A thin wrapper around the real `git` command, run in a store's code folder.

Every call is synchronous and may take a while on a large repository: the UI runs them through
`asyncio.to_thread` (see the `*_async` helpers of the modules that use this one). Anything that
could be a secret value is passed on stdin, never on the command line, where other users of the
machine could read it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


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


class GitCancelledError(GitError):
    def __init__(self) -> None:
        super().__init__("Cancelled.")


class Cancellation:
    """Stops, from any thread, the git commands run for one piece of work (a scan).

    Each command it watches runs as the leader of a process group of its own (a new session on
    POSIX, a new process group on Windows), and cancelling kills the whole group: a wrapper
    script, a pager or a helper git started goes with it instead of being left orphaned.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._processes: set[subprocess.Popen[bytes]] = set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            processes = list(self._processes)
        for process in processes:
            _kill_group(process)

    def check(self) -> None:
        """Raises GitCancelledError once cancelled: call it between two steps of the work."""
        if self._cancelled:
            raise GitCancelledError

    @contextmanager
    def watching(self, process: subprocess.Popen[bytes]) -> Iterator[None]:
        with self._lock:
            self._processes.add(process)
            cancelled = self._cancelled
        if cancelled:  # cancelled while it was starting
            _kill_group(process)
        try:
            yield
        finally:
            with self._lock:
                self._processes.discard(process)


#: Windows' flag for a new process group (0 elsewhere, where a new session does it).
_NEW_PROCESS_GROUP: int = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    if process.returncode is not None:  # reaped: its id may belong to someone else now
        return
    if sys.platform == "win32":
        # /T: the tree. Windows' git.exe is a launcher that runs the real git as a child.
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False
        )
        with contextlib.suppress(OSError):
            process.kill()
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


async def in_thread_cancellably(work: Callable[[Cancellation], T]) -> T:
    """Run `work` in a thread; cancelling the awaiting task kills its git commands and waits
    for the thread to end, so no git process outlives the task."""
    cancellation = Cancellation()
    thread = asyncio.ensure_future(asyncio.to_thread(work, cancellation))
    try:
        return await asyncio.shield(thread)
    except asyncio.CancelledError:
        cancellation.cancel()
        await asyncio.wait([thread])
        if not thread.cancelled():
            thread.exception()  # GitCancelledError, expected: retrieved so it is not reported
        raise


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
        self,
        args: Sequence[str],
        *,
        stdin: bytes | None = None,
        ok: Sequence[int] = (0,),
        cancellation: Cancellation | None = None,
    ) -> subprocess.CompletedProcess[bytes]:
        return _run(self.folder, args, stdin=stdin, ok=ok, cancellation=cancellation)

    def text(self, args: Sequence[str], *, stdin: bytes | None = None) -> str:
        return self.run(args, stdin=stdin).stdout.decode("utf-8", "replace")

    @contextmanager
    def stream(
        self, args: Sequence[str], *, cancellation: Cancellation | None = None
    ) -> Iterator[Iterator[bytes]]:
        """Lines of a long output (such as `log -p`) without holding all of it in memory."""
        process = _start(self.folder, args, subprocess.DEVNULL, subprocess.DEVNULL, cancellation)
        assert process.stdout is not None
        with _watched(process, cancellation):
            try:
                yield iter(process.stdout)
            finally:
                process.stdout.close()
                code = process.wait()
                if cancellation is not None:
                    cancellation.check()
                if code not in (0, -13):  # -13: SIGPIPE when the reader stopped early
                    raise GitError(f"git {args[0]} failed (exit {process.returncode}).")


def _start(
    folder: Path,
    args: Sequence[str],
    stdin: int,
    stderr: int,
    cancellation: Cancellation | None,
) -> subprocess.Popen[bytes]:
    if cancellation is not None:
        cancellation.check()
    own_group = cancellation is not None  # so that cancelling can kill all it runs
    try:
        return subprocess.Popen(
            ["git", *args],
            cwd=folder,
            env=_environment(),
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=stderr,
            start_new_session=own_group and sys.platform != "win32",
            creationflags=_NEW_PROCESS_GROUP if own_group else 0,
        )
    except FileNotFoundError as error:
        if not folder.is_dir():
            raise GitError(f"The folder {folder} does not exist.") from error
        raise GitNotInstalledError from error


def _watched(
    process: subprocess.Popen[bytes], cancellation: Cancellation | None
) -> contextlib.AbstractContextManager[None]:
    return cancellation.watching(process) if cancellation is not None else contextlib.nullcontext()


def _run(
    folder: Path,
    args: Sequence[str],
    *,
    stdin: bytes | None = None,
    ok: Sequence[int] = (0,),
    cancellation: Cancellation | None = None,
) -> subprocess.CompletedProcess[bytes]:
    process = _start(folder, args, subprocess.PIPE, subprocess.PIPE, cancellation)
    with _watched(process, cancellation), process:
        stdout, stderr = process.communicate(stdin if stdin is not None else b"")
    if cancellation is not None:
        cancellation.check()
    result = subprocess.CompletedProcess(["git", *args], process.returncode, stdout, stderr)
    if result.returncode not in ok:
        reason = result.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = reason[-1] if reason else f"exit {result.returncode}"
        raise GitError(f"git {args[0]} failed: {detail}")
    return result
