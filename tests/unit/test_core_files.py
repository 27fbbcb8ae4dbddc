"""Writing a file whole or not at all: replaced, or created only when absent."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from faststore_desktop.core.files import write_atomically


def test_a_write_replaces_the_file_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"old")

    write_atomically(path, b"new")

    assert path.read_bytes() == b"new"
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_an_exclusive_write_keeps_a_file_already_there(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"first")

    with pytest.raises(FileExistsError):
        write_atomically(path, b"second", exclusive=True)

    assert path.read_bytes() == b"first"
    assert not [
        p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")
    ]  # no temporary file left


def test_an_exclusive_write_without_hard_links_still_refuses_to_replace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: str, target: Path) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "f"
    write_atomically(path, b"first", exclusive=True)
    with pytest.raises(FileExistsError):
        write_atomically(path, b"second", exclusive=True)

    assert path.read_bytes() == b"first"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
