"""One owner per data folder: a second opener, in this process or another, is refused with a
message a user can act on; closing, a failed open and the owner's death all free the folder."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from faststore_desktop.webops.local.crypto import DataKeyMismatchError
from faststore_desktop.webops.local.ownership import LOCK_NAME, DataFolderInUseError, FolderLock
from faststore_desktop.webops.local.service import LocalWebOps

#: A second process that opens the folder, says so, and holds it until stdin closes.
OWNER = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from faststore_desktop.webops.local.ownership import DataFolderInUseError
    from faststore_desktop.webops.local.service import LocalWebOps

    async def main():
        key = bytes.fromhex(sys.stdin.readline())
        try:
            webops = await LocalWebOps.open(Path(sys.argv[1]), key, actor="other")
        except DataFolderInUseError as error:
            print("refused:", error.message, flush=True)
            return
        print("open", flush=True)
        await asyncio.to_thread(sys.stdin.read)
        await webops.close()

    asyncio.run(main())
    """
)


def start_other(data_dir: Path, key: bytes) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", OWNER, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None
    child.stdin.write(key.hex() + "\n")
    child.stdin.flush()
    return child


async def first_line(child: subprocess.Popen[str]) -> str:
    assert child.stdout is not None
    return (await asyncio.wait_for(asyncio.to_thread(child.stdout.readline), 60)).strip()


@pytest.mark.asyncio
async def test_a_second_instance_in_the_same_process_is_refused_until_the_first_closes(
    tmp_path: Path,
) -> None:
    key = secrets.token_bytes(32)
    first = await LocalWebOps.open(tmp_path, key, actor="a")
    try:
        with pytest.raises(DataFolderInUseError) as caught:
            await LocalWebOps.open(tmp_path, key, actor="b")
        view = first.with_actor("c")  # a view shares the owner's folder: no second lock
        await view.close()  # and closing it leaves the folder to its owner
        with pytest.raises(DataFolderInUseError):
            await LocalWebOps.open(tmp_path, key, actor="b")
    finally:
        await first.close()

    message = caught.value.message
    assert message.startswith("FastStore Desktop is already open with this data folder")
    assert f"(process {os.getpid()})" in message and str(tmp_path) in message
    assert caught.value.code == "data-folder-in-use"
    second = await LocalWebOps.open(tmp_path, key, actor="b")
    await second.close()


@pytest.mark.asyncio
async def test_an_open_that_fails_leaves_the_folder_free(tmp_path: Path) -> None:
    key = secrets.token_bytes(32)
    await (await LocalWebOps.open(tmp_path, key, actor="a")).close()

    with pytest.raises(DataKeyMismatchError):
        await LocalWebOps.open(tmp_path, secrets.token_bytes(32), actor="a")

    await (await LocalWebOps.open(tmp_path, key, actor="a")).close()


@pytest.mark.asyncio
async def test_another_process_is_refused_while_this_one_owns_the_folder(tmp_path: Path) -> None:
    key = secrets.token_bytes(32)
    webops = await LocalWebOps.open(tmp_path, key, actor="a")
    try:
        other = start_other(tmp_path, key)
        answer = await first_line(other)
        other.communicate(timeout=60)
    finally:
        await webops.close()

    assert answer.startswith("refused: FastStore Desktop is already open with this data folder")
    assert f"(process {os.getpid()})" in answer
    assert other.returncode == 0


@pytest.mark.asyncio
async def test_the_folder_is_refused_while_another_process_owns_it_and_freed_when_it_dies(
    tmp_path: Path,
) -> None:
    key = secrets.token_bytes(32)
    other = start_other(tmp_path, key)
    try:
        assert await first_line(other) == "open"
        with pytest.raises(DataFolderInUseError) as caught:
            await LocalWebOps.open(tmp_path, key, actor="a")
        assert caught.value.owner_pid == other.pid
    finally:
        other.send_signal(signal.SIGKILL)  # no close: the OS drops the lock of a dead process
        other.communicate(timeout=60)

    assert (tmp_path / LOCK_NAME).exists()  # the stale file does not matter; the lock does
    webops = await LocalWebOps.open(tmp_path, key, actor="a")
    await webops.close()


def test_the_lock_is_not_inherited_by_child_processes(tmp_path: Path) -> None:
    lock = FolderLock.acquire(tmp_path)
    try:
        assert lock.held
        assert "held=True" in repr(lock)
        assert not os.get_inheritable(lock._fd)  # type: ignore[arg-type]
    finally:
        lock.release()
        lock.release()  # twice is harmless
    assert not lock.held
