"""Opening the embedded store when `passphrase.json` does not fit the data: a file an earlier
version wrote over data saved with the keyring's key gives way to the keyring; a genuine mismatch
is said inline in the passphrase dialog, with what was typed kept.

The data folder is real (SQLite, AES-GCM, scrypt); only the keyring is replaced, by the
in-memory one of tests/conftest.py or keyring's `fail` backend (no usable keyring).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from keyring_fakes import MemoryKeyring
from keyring_support import PASSPHRASE, next_dialog, saved_store
from PySide6.QtWidgets import QApplication

from faststore_desktop.backends import Backends
from faststore_desktop.ui.dialogs.keyring_missing import Mode
from faststore_desktop.webops.local.crypto import create_passphrase_key, passphrase_file
from faststore_desktop.webops.local.datakey import resolve_data_key
from faststore_desktop.webops.local.service import LocalWebOps


@pytest.fixture
def dialogs_without_window(qapp: QApplication) -> Iterator[None]:
    """The dialogs have no window to sit on: closing one must not end the test's loop."""
    qapp.setQuitOnLastWindowClosed(False)
    yield
    qapp.setQuitOnLastWindowClosed(True)


async def entries(data_dir: Path, key: bytes, store_id: str) -> list[tuple[str, str | None]]:
    webops = await LocalWebOps.open(data_dir, key, actor="a")
    try:
        return [(e.key, e.value) for e in await webops.list_entries(store_id)]
    finally:
        await webops.close()


@pytest.mark.asyncio
@pytest.mark.usefixtures("dialogs_without_window")
async def test_a_stale_passphrase_file_opens_with_the_keyring_and_is_set_aside(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    data_dir = tmp_path / "data"
    keyring_key = await asyncio.to_thread(resolve_data_key, data_dir)
    store_id = await saved_store(data_dir, keyring_key)
    # An earlier version set a passphrase over that data: a fresh salt, a key that sealed nothing.
    await asyncio.to_thread(create_passphrase_key, data_dir, PASSPHRASE)
    resolving = asyncio.ensure_future(Backends(data_dir)._data_key())

    dialog = await next_dialog()
    assert dialog.mode is Mode.ENTER
    dialog.passphrase.setText(PASSPHRASE)
    dialog.use_button.click()

    unlocked = await asyncio.wait_for(resolving, 30)
    assert unlocked is not None and unlocked.key == keyring_key
    assert unlocked.protection.startswith("Key in ")
    assert keyring_key.hex() not in repr(unlocked)
    assert not passphrase_file(data_dir).exists()
    assert (data_dir / "passphrase.json.stale").is_file()
    assert await entries(data_dir, keyring_key, store_id) == [("K", "v")]
    # The next start needs no passphrase: no dialog at all.
    again = await asyncio.wait_for(Backends(data_dir)._data_key(), 30)
    assert again is not None and again.key == keyring_key


@pytest.mark.asyncio
@pytest.mark.usefixtures("dialogs_without_window")
async def test_a_passphrase_of_other_data_is_said_inline_with_what_was_typed_kept(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    data_dir = tmp_path / "data"
    await saved_store(data_dir, secrets.token_bytes(32))  # sealed with neither key
    await asyncio.to_thread(create_passphrase_key, data_dir, PASSPHRASE)
    keyring.set_keyring(fail.Keyring())
    resolving = asyncio.ensure_future(Backends(data_dir)._data_key())

    dialog = await next_dialog()
    dialog.passphrase.setText(PASSPHRASE)
    dialog.use_button.click()

    retry = await next_dialog(dialog)
    assert retry.mode is Mode.ENTER
    assert retry.problem.isVisible()
    assert retry.problem.text().startswith(
        "These variables and secrets were saved with another data key."
    )
    assert PASSPHRASE not in retry.problem.text()
    assert retry.passphrase.text() == PASSPHRASE
    assert passphrase_file(data_dir).is_file()  # nothing set aside
    retry.reject()  # Not now
    assert await asyncio.wait_for(resolving, 30) is None
