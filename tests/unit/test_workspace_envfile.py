"""vtex.env on disk: atomic writes, one owner-only backup, external changes noticed."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from faststore_desktop.core.workspace.envfile import (
    ABSENT,
    EnvFileError,
    ExternalChangeError,
    has_changed,
    read_env_file,
    read_env_file_async,
    write_env_file,
    write_env_file_async,
)

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


@pytest.fixture
def store(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    folder.mkdir()
    return folder


def test_an_absent_file_reads_empty_and_is_created(store: Path) -> None:
    path = store / "vtex.env"
    loaded = read_env_file(path)
    assert loaded.text == "" and loaded.stamp == ABSENT
    stamp = write_env_file(path, "A=1\n", expected=loaded.stamp)
    assert path.read_text() == "A=1\n"
    assert read_env_file(path).stamp == stamp
    assert not has_changed(path, stamp)


@posix_only
def test_writes_are_owner_only_and_leave_no_temporary_file(store: Path) -> None:
    path = store / "vtex.env"
    path.write_text("A=1\n")
    path.chmod(0o644)
    backup = store / "backups" / "store.env"
    write_env_file(path, "A=2\n", expected=read_env_file(path).stamp, backup=backup)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert sorted(p.name for p in store.iterdir()) == ["backups", "vtex.env"]


def test_one_backup_holds_the_previous_content(store: Path) -> None:
    path = store / "vtex.env"
    backup = store / "backup.env"
    stamp = write_env_file(path, "A=1\n", expected=ABSENT, backup=backup)
    assert not backup.exists()  # nothing to back up yet
    stamp = write_env_file(path, "A=2\n", expected=stamp, backup=backup)
    write_env_file(path, "A=3\n", expected=stamp, backup=backup)
    assert backup.read_text() == "A=2\n"
    assert path.read_text() == "A=3\n"


def test_an_external_change_is_noticed_and_blocks_the_write(store: Path) -> None:
    path = store / "vtex.env"
    stamp = write_env_file(path, "A=1\n", expected=ABSENT)
    path.write_text("A=1\nB=2\n")
    assert has_changed(path, stamp)
    with pytest.raises(ExternalChangeError) as caught:
        write_env_file(path, "A=mine\n", expected=stamp)
    assert "changed by another program" in caught.value.message
    assert path.read_text() == "A=1\nB=2\n"


def test_a_touch_without_a_content_change_is_not_a_change(store: Path) -> None:
    path = store / "vtex.env"
    stamp = write_env_file(path, "A=1\n", expected=ABSENT)
    os.utime(path, ns=(stamp.mtime_ns + 5_000_000_000, stamp.mtime_ns + 5_000_000_000))
    assert not has_changed(path, stamp)


def test_a_deleted_file_is_a_change(store: Path) -> None:
    path = store / "vtex.env"
    stamp = write_env_file(path, "A=1\n", expected=ABSENT)
    path.unlink()
    assert has_changed(path, stamp)


def test_a_failed_write_keeps_the_file(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = store / "vtex.env"
    stamp = write_env_file(path, "A=1\n", expected=ABSENT)

    def refuse(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(EnvFileError, match="No space left"):
        write_env_file(path, "A=2\n", expected=stamp)
    assert path.read_text() == "A=1\n"
    assert [p.name for p in store.iterdir()] == ["vtex.env"]


def test_text_that_is_not_utf8_is_refused_with_a_position(store: Path) -> None:
    path = store / "vtex.env"
    path.write_bytes(b"A=1\nB=\xff\n")
    with pytest.raises(EnvFileError, match="byte 6"):
        read_env_file(path)


@pytest.mark.asyncio
async def test_async_wrappers(store: Path) -> None:
    path = store / "vtex.env"
    stamp = await write_env_file_async(path, "A=1\n", expected=ABSENT)
    loaded = await read_env_file_async(path)
    assert loaded.text == "A=1\n" and loaded.stamp == stamp
    assert "A=1" not in repr(loaded)


def test_a_missing_folder_is_an_error_with_a_message(store: Path) -> None:
    with pytest.raises(EnvFileError, match=r"Cannot write vtex\.env"):
        write_env_file(store / "gone" / "vtex.env", "A=1\n", expected=ABSENT)
