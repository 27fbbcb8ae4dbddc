"""Writing a file whole or not at all, readable by its owner only where the OS allows."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

#: Read and write for the owner alone.
OWNER_ONLY = 0o600


def write_atomically(
    path: Path, data: bytes, mode: int = OWNER_ONLY, *, exclusive: bool = False
) -> None:
    """`path` holds `data` or what it held before, never a part.

    The data goes to a temporary file beside `path` (created owner-only by `mkstemp`, then given
    `mode` on POSIX; on Windows it inherits the folder's ACL), is flushed to disk, and then takes
    `path`'s name. The parent folder must exist.

    `exclusive`: `path` is created only if it does not exist yet (FileExistsError otherwise, and
    the file already there is left as it is); the temporary file is hard-linked to `path`, so
    two writers racing for it cannot both win. Where the file system has no hard links, `path`
    is opened with O_EXCL and written in place instead.
    """
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if sys.platform != "win32":
            os.chmod(temporary, mode)
        if not exclusive:
            os.replace(temporary, path)
            return
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise
        except OSError:  # no hard links here (FAT, some network shares)
            _create_in_place(path, data, mode)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _create_in_place(path: Path, data: bytes, mode: int) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, mode)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


_BINARY = getattr(os, "O_BINARY", 0)
