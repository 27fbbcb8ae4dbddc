"""One process owns a data folder at a time: the app, or a server (`faststore-desktop serve`).

Two owners would race the deployment queue (each would take the other's running deployment for
one a crash interrupted) and both would run builds. The owner holds an OS lock on `webops.lock`
in the folder: `flock` on POSIX, `msvcrt.locking` on Windows. The OS drops the lock when the
owner closes the folder or dies in any way (a crash, SIGKILL), so a stale lock file never
blocks the next start. The lock is per open file, not per process: a second `LocalWebOps.open`
in the same process is refused as well. The file holds the owner's process id, for the message
the next opener gets; the lock, not the file's content, decides.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from faststore_desktop.webops.errors import WebOpsError

LOCK_NAME = "webops.lock"
#: Windows locks a byte range, and a locked range cannot be read: the lock is on one byte far
#: past the process id the file holds, so another process can still read who owns it.
_WINDOWS_LOCK_OFFSET = 1 << 20


class DataFolderInUseError(WebOpsError):
    """Another process (or another instance in this one) has the data folder open."""

    code = "data-folder-in-use"

    def __init__(self, folder: Path, owner_pid: int | None) -> None:
        by = f" (process {owner_pid})" if owner_pid is not None else ""
        super().__init__(
            f"FastStore Desktop is already open with this data folder{by}: {folder}. "
            "Only one window of the app, or one `faststore-desktop serve`, can use a data folder "
            "at a time. Close the other one, then try again."
        )
        self.folder = folder
        self.owner_pid = owner_pid


class FolderLock:
    """The held lock of a data folder; `release()` gives it up (once is enough)."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    def __repr__(self) -> str:
        return f"FolderLock({str(self.path)!r}, held={self._fd is not None})"

    @classmethod
    def acquire(cls, folder: Path) -> FolderLock:
        """Take the folder (creating it if needed), or raise `DataFolderInUseError` at once."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / LOCK_NAME
        # Not inherited by builds (Python's default): a build outliving its app must not keep
        # the folder locked.
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if not _try_lock(fd):
                raise DataFolderInUseError(folder, _owner_pid(fd))
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        except BaseException:
            os.close(fd)
            raise
        return cls(path, fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        finally:
            os.close(fd)  # closing drops the lock anyway; unlocking first says so explicitly


def _owner_pid(fd: int) -> int | None:
    """The process id the owner wrote, when it is readable (it may be writing it right now)."""
    with contextlib.suppress(OSError, ValueError):
        os.lseek(fd, 0, os.SEEK_SET)
        return int(os.read(fd, 32).decode("ascii").strip())
    return None


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
