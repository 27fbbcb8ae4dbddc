"""Moving files to the trash so a removal can be undone by the user (and by us, on failure).

`FreedesktopTrash` implements the freedesktop.org trash specification (the home trash under
XDG_DATA_HOME/Trash) used by Linux desktops. Other systems get a trash from the UI layer
(QFile.moveToTrash), which satisfies the same `Trash` protocol.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import quote


class TrashError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class TrashedItem:
    original: Path
    location: Path
    #: The .trashinfo file (freedesktop trash only).
    info: Path | None = None


class Trash(Protocol):
    def move(self, path: Path) -> TrashedItem:
        """Move `path` to the trash; raises TrashError and leaves it in place on failure."""
        ...

    def restore(self, item: TrashedItem) -> None:
        """Put a trashed file back where it was."""
        ...


class FreedesktopTrash:
    """The home trash of the freedesktop.org Trash specification 1.0."""

    def __init__(self, data_home: Path | None = None) -> None:
        base = data_home or Path(
            os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
        )
        self.root = base / "Trash"

    def move(self, path: Path) -> TrashedItem:
        original = path.absolute()
        files, infos = self.root / "files", self.root / "info"
        try:
            files.mkdir(mode=0o700, parents=True, exist_ok=True)
            infos.mkdir(mode=0o700, parents=True, exist_ok=True)
            name, info = self._reserve(original, infos)
        except OSError as error:
            raise TrashError(f"Cannot use the trash at {self.root}: {error.strerror}.") from error
        location = files / name
        try:
            # A rename within one file system; a copy then delete across file systems.
            shutil.move(original, location)
        except OSError as error:
            info.unlink(missing_ok=True)
            raise TrashError(
                f"Cannot move {original.name} to the trash: {error.strerror}."
            ) from error
        return TrashedItem(original, location, info)

    def restore(self, item: TrashedItem) -> None:
        if item.original.exists():
            raise TrashError(f"{item.original.name} exists again; its trashed copy is kept.")
        shutil.move(item.location, item.original)
        if item.info is not None:
            with contextlib.suppress(OSError):
                item.info.unlink()

    @staticmethod
    def _reserve(original: Path, infos: Path) -> tuple[str, Path]:
        """Create the .trashinfo file first (O_EXCL) so two removals never take one name."""
        stamp = datetime.now().strftime("%Y-%m-%dT%H:%M:%S")
        body = f"[Trash Info]\nPath={quote(str(original))}\nDeletionDate={stamp}\n".encode()
        for attempt in range(1, 10_000):
            name = original.name if attempt == 1 else f"{original.stem} {attempt}{original.suffix}"
            info = infos / f"{name}.trashinfo"
            if (infos.parent / "files" / name).exists():
                continue
            try:
                descriptor = os.open(info, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(body)
            return name, info
        raise OSError(0, "no free name in the trash")
