"""Reading and writing vtex.env on disk: atomic, with one backup, owner-only, change-aware.

The file holds values in clear, so every copy this module makes (the temporary file, the backup)
is created readable by its owner only where the OS allows. The backup lives outside the store
folder (the caller chooses where, the app uses its data directory) so it can never be committed.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from faststore_desktop.core.files import OWNER_ONLY, write_atomically


class EnvFileError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ExternalChangeError(EnvFileError):
    """The file changed on disk since it was read: writing would lose someone's edit."""


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What the file looked like: a change to any field means someone else wrote it."""

    mtime_ns: int
    size: int
    sha256: str


#: The stamp of a file that does not exist.
ABSENT = FileStamp(0, -1, "")


@dataclass(frozen=True, slots=True)
class EnvFile:
    text: str
    stamp: FileStamp

    def __repr__(self) -> str:  # the text holds values
        return f"EnvFile(size={self.stamp.size})"


def _stamp_of(data: bytes, status: os.stat_result) -> FileStamp:
    return FileStamp(status.st_mtime_ns, status.st_size, hashlib.sha256(data).hexdigest())


def read_env_file(path: Path) -> EnvFile:
    """The file's text and stamp; an absent file reads as empty with the ABSENT stamp."""
    try:
        with path.open("rb") as handle:
            data = handle.read()
            status = os.fstat(handle.fileno())
    except FileNotFoundError:
        return EnvFile("", ABSENT)
    except OSError as error:
        raise EnvFileError(f"Cannot read {path.name}: {error.strerror}.") from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise EnvFileError(
            f"{path.name} is not UTF-8 text (byte {error.start}); fix its encoding first."
        ) from error
    return EnvFile(text, _stamp_of(data, status))


def has_changed(path: Path, known: FileStamp) -> bool:
    """Whether the file differs from `known`; cheap when mtime and size are unchanged."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return known != ABSENT
    if status.st_mtime_ns == known.mtime_ns and status.st_size == known.size:
        return False
    return read_env_file(path).stamp.sha256 != known.sha256


def write_env_file(
    path: Path, text: str, *, expected: FileStamp, backup: Path | None = None
) -> FileStamp:
    """Replace the file with `text` atomically and return its new stamp.

    Raises ExternalChangeError when the file is no longer what `expected` describes. The
    previous content, if any, is copied to `backup` first (one backup: the last one wins).
    """
    if has_changed(path, expected):
        raise ExternalChangeError(
            f"{path.name} was changed by another program since it was opened. Reload it first."
        )
    data = text.encode("utf-8")
    try:
        if backup is not None and path.exists():
            _copy_owner_only(path, backup)
        write_atomically(path, data, OWNER_ONLY)
    except OSError as error:
        raise EnvFileError(f"Cannot write {path.name}: {error.strerror}.") from error
    return _stamp_of(data, path.stat())


def _copy_owner_only(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    with os.fdopen(descriptor, "wb") as out, source.open("rb") as src:
        shutil.copyfileobj(src, out)


async def read_env_file_async(path: Path) -> EnvFile:
    return await asyncio.to_thread(read_env_file, path)


async def write_env_file_async(
    path: Path, text: str, *, expected: FileStamp, backup: Path | None = None
) -> FileStamp:
    return await asyncio.to_thread(write_env_file, path, text, expected=expected, backup=backup)


async def has_changed_async(path: Path, known: FileStamp) -> bool:
    return await asyncio.to_thread(has_changed, path, known)
