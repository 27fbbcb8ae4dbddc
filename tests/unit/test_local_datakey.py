"""Choosing the data key: the keyring by default, a passphrase when the user picked one.

The passphrase cases run over the real store (SQLite, AES-GCM, scrypt); only the keyring is
replaced (an in-memory one, or keyring's `fail` backend for a missing one).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail

from faststore_desktop.core import changeset
from faststore_desktop.core.changeset import ChangeSet
from faststore_desktop.core.entries import EntryType
from faststore_desktop.webops.keychain import KeychainUnavailableError
from faststore_desktop.webops.local import crypto
from faststore_desktop.webops.local.crypto import (
    DataKeyMismatchError,
    WrongPassphraseError,
    create_passphrase_key,
    passphrase_file,
)
from faststore_desktop.webops.local.datakey import (
    DataKey,
    KeyringKeyRequiredError,
    PassphraseRequiredError,
    open_data_key,
    resolve_data_key,
)
from faststore_desktop.webops.local.db import (
    DATABASE_NAME,
    UnreadableDatabaseError,
    read_key_check,
)
from faststore_desktop.webops.local.service import LocalWebOps
from faststore_desktop.webops.models import StoreConfig

PASSPHRASE = "correct horse battery staple"


def test_keyring_key_is_made_once_and_reused(tmp_path: Path) -> None:
    key = resolve_data_key(tmp_path)
    assert len(key) == 32
    assert resolve_data_key(tmp_path) == key


def test_a_passphrase_folder_needs_its_passphrase(tmp_path: Path) -> None:
    key = resolve_data_key(tmp_path, "a long passphrase")

    with pytest.raises(PassphraseRequiredError):
        resolve_data_key(tmp_path)
    with pytest.raises(WrongPassphraseError):
        resolve_data_key(tmp_path, "another passphrase")
    assert resolve_data_key(tmp_path, "a long passphrase") == key


def test_without_a_usable_keyring_the_passphrase_still_works(tmp_path: Path) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(KeychainUnavailableError):
            resolve_data_key(tmp_path)
        assert len(resolve_data_key(tmp_path, "a long passphrase")) == 32
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


async def save_an_entry(data_dir: Path, key: bytes) -> str:
    """A store with one entry sealed with `key`; returns the store id."""
    webops = await LocalWebOps.open(data_dir, key, actor="a")
    try:
        store = await webops.create_store(StoreConfig(name="S"))
        await webops.apply(
            store.id, ChangeSet([changeset.create("K", EntryType.TEXT, "v")]), idempotency_key=None
        )
        return store.id
    finally:
        await webops.close()


async def read_entries(data_dir: Path, key: bytes, store_id: str) -> list[tuple[str, str | None]]:
    webops = await LocalWebOps.open(data_dir, key, actor="a")
    try:
        return [(e.key, e.value) for e in await webops.list_entries(store_id)]
    finally:
        await webops.close()


def files(data_dir: Path) -> dict[str, bytes]:
    """What the folder holds (the lock file aside), to show that nothing was written."""
    return {
        p.name: p.read_bytes()
        for p in sorted(data_dir.iterdir())
        if p.is_file() and p.name != "webops.lock"
    }


@pytest.mark.asyncio
async def test_a_new_folder_gets_the_passphrase_and_its_data_opens_with_it(
    tmp_path: Path,
) -> None:
    key = await asyncio.to_thread(resolve_data_key, tmp_path, PASSPHRASE)

    assert passphrase_file(tmp_path).is_file()
    store_id = await save_an_entry(tmp_path, key)
    again = await asyncio.to_thread(resolve_data_key, tmp_path, PASSPHRASE)
    assert again == key
    assert await read_entries(tmp_path, again, store_id) == [("K", "v")]


@pytest.mark.asyncio
async def test_a_wrong_passphrase_writes_nothing_and_the_data_stays_readable(
    tmp_path: Path,
) -> None:
    key = await asyncio.to_thread(resolve_data_key, tmp_path, PASSPHRASE)
    store_id = await save_an_entry(tmp_path, key)
    before = files(tmp_path)

    with pytest.raises(WrongPassphraseError) as caught:
        await asyncio.to_thread(resolve_data_key, tmp_path, "another long passphrase")

    assert caught.value.message == "That passphrase does not open the data in this folder."
    assert "another long" not in caught.value.message
    assert files(tmp_path) == before
    right = await asyncio.to_thread(resolve_data_key, tmp_path, PASSPHRASE)
    assert await read_entries(tmp_path, right, store_id) == [("K", "v")]


@pytest.mark.asyncio
async def test_data_saved_with_the_keyring_key_refuses_a_passphrase_without_writing(
    tmp_path: Path,
) -> None:
    keyring_key = await asyncio.to_thread(resolve_data_key, tmp_path)
    store_id = await save_an_entry(tmp_path, keyring_key)
    before = files(tmp_path)

    with pytest.raises(KeyringKeyRequiredError) as caught:
        await asyncio.to_thread(resolve_data_key, tmp_path, PASSPHRASE)

    assert "saved with the key in the system keyring" in caught.value.message
    assert "no passphrase can open them" in caught.value.message
    assert not passphrase_file(tmp_path).exists()
    assert files(tmp_path) == before
    # Nothing changed: the keyring opens the folder as before, without asking for a passphrase.
    assert await asyncio.to_thread(resolve_data_key, tmp_path) == keyring_key
    assert await read_entries(tmp_path, keyring_key, store_id) == [("K", "v")]


@pytest.mark.asyncio
@pytest.mark.usefixtures("no_keyring")
async def test_a_missing_keyring_over_keyring_data_says_no_passphrase_can_help(
    tmp_path: Path,
) -> None:
    await save_an_entry(tmp_path, secrets.token_bytes(32))  # sealed with a key of the keyring

    with pytest.raises(KeyringKeyRequiredError) as caught:
        await asyncio.to_thread(resolve_data_key, tmp_path)

    assert caught.value.keyring_problem.startswith("No usable system keyring was found")
    assert caught.value.message.startswith(caught.value.keyring_problem)
    assert caught.value.message.endswith("then try again.")
    assert isinstance(caught.value, KeychainUnavailableError)  # its remedy is the keyring
    with pytest.raises(KeyringKeyRequiredError):
        await asyncio.to_thread(resolve_data_key, tmp_path, PASSPHRASE)
    assert not passphrase_file(tmp_path).exists()


@pytest.mark.usefixtures("no_keyring")
def test_a_missing_keyring_over_a_new_folder_leaves_the_passphrase_open(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    with pytest.raises(KeychainUnavailableError) as caught:
        resolve_data_key(data_dir)

    assert not isinstance(caught.value, KeyringKeyRequiredError)
    assert list(data_dir.iterdir()) == []  # asking created nothing, not even a database


@pytest.mark.asyncio
async def test_a_passphrase_file_of_other_data_is_refused_without_writing(tmp_path: Path) -> None:
    mine, other = tmp_path / "mine", tmp_path / "other"
    await save_an_entry(mine, await asyncio.to_thread(resolve_data_key, mine, PASSPHRASE))
    await asyncio.to_thread(resolve_data_key, other, PASSPHRASE)  # same passphrase, other salt
    passphrase_file(mine).write_bytes(passphrase_file(other).read_bytes())  # a mixed-up restore
    before = files(mine)

    with pytest.raises(DataKeyMismatchError):
        await asyncio.to_thread(resolve_data_key, mine, PASSPHRASE)

    assert files(mine) == before


@pytest.mark.asyncio
async def test_the_key_check_is_read_without_changing_the_database(tmp_path: Path) -> None:
    assert read_key_check(tmp_path / DATABASE_NAME) is None
    assert not (tmp_path / DATABASE_NAME).exists()
    webops = await LocalWebOps.open(tmp_path, secrets.token_bytes(32), actor="a")
    try:  # while the owner has it open, in WAL mode
        check = await asyncio.to_thread(read_key_check, tmp_path / DATABASE_NAME)
    finally:
        await webops.close()
    assert check is not None and check[:1] == b"\x01"


@pytest.mark.asyncio
async def test_a_stale_passphrase_file_over_keyring_data_gives_way_to_the_keyring(
    tmp_path: Path,
) -> None:
    # What an earlier version left: data saved with the keyring's key, then a passphrase set
    # over it (a fresh salt, so a key that sealed nothing there).
    keyring_key = await asyncio.to_thread(resolve_data_key, tmp_path)
    store_id = await save_an_entry(tmp_path, keyring_key)
    await asyncio.to_thread(create_passphrase_key, tmp_path, PASSPHRASE)
    stale = passphrase_file(tmp_path).read_bytes()
    with pytest.raises(PassphraseRequiredError):
        await asyncio.to_thread(resolve_data_key, tmp_path)

    opened = await asyncio.to_thread(open_data_key, tmp_path, PASSPHRASE)

    assert opened == DataKey(keyring_key, from_keyring=True)
    assert not passphrase_file(tmp_path).exists()
    assert (tmp_path / "passphrase.json.stale").read_bytes() == stale  # set aside, not deleted
    # The next start opens with the keyring directly, without asking for a passphrase.
    assert await asyncio.to_thread(resolve_data_key, tmp_path) == keyring_key
    assert await read_entries(tmp_path, keyring_key, store_id) == [("K", "v")]


@pytest.mark.asyncio
async def test_a_stale_file_is_set_aside_beside_an_earlier_one(tmp_path: Path) -> None:
    keyring_key = await asyncio.to_thread(resolve_data_key, tmp_path)
    await save_an_entry(tmp_path, keyring_key)
    (tmp_path / "passphrase.json.stale").write_bytes(b"kept")
    await asyncio.to_thread(create_passphrase_key, tmp_path, PASSPHRASE)

    assert await asyncio.to_thread(resolve_data_key, tmp_path, PASSPHRASE) == keyring_key

    assert (tmp_path / "passphrase.json.stale").read_bytes() == b"kept"
    assert (tmp_path / "passphrase.json.stale-2").is_file()
    assert not passphrase_file(tmp_path).exists()


@pytest.mark.asyncio
async def test_a_keyring_key_that_does_not_fit_leaves_the_mismatch_and_the_file(
    tmp_path: Path,
) -> None:
    await asyncio.to_thread(resolve_data_key, tmp_path / "elsewhere")  # the keyring has a key
    await save_an_entry(tmp_path, secrets.token_bytes(32))  # data sealed with another key
    await asyncio.to_thread(create_passphrase_key, tmp_path, PASSPHRASE)
    before = files(tmp_path)

    with pytest.raises(DataKeyMismatchError):
        await asyncio.to_thread(open_data_key, tmp_path, PASSPHRASE)

    assert files(tmp_path) == before


@pytest.mark.asyncio
@pytest.mark.usefixtures("no_keyring")
async def test_a_stale_file_without_a_keyring_stays_a_mismatch(tmp_path: Path) -> None:
    await save_an_entry(tmp_path, secrets.token_bytes(32))
    await asyncio.to_thread(create_passphrase_key, tmp_path, PASSPHRASE)

    with pytest.raises(DataKeyMismatchError):
        await asyncio.to_thread(open_data_key, tmp_path, PASSPHRASE)

    assert passphrase_file(tmp_path).is_file()


def another_run_sets_it(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, passphrase: str
) -> Callable[[], bytes]:
    """Between this run's check (no passphrase.json) and its write, another first run sets
    `passphrase`: it happens inside this run's scrypt. Returns the key the other run made."""
    real_scrypt = crypto._scrypt
    other: list[bytes] = []

    def scrypt_while_another_run_sets_it(*args: Any) -> bytes:
        if not other:
            monkeypatch.setattr(crypto, "_scrypt", real_scrypt)  # the other run, then no more
            other.append(create_passphrase_key(data_dir, passphrase))
        return real_scrypt(*args)

    monkeypatch.setattr(crypto, "_scrypt", scrypt_while_another_run_sets_it)
    return lambda: other[0]


def test_a_passphrase_set_meanwhile_by_another_first_run_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    others_key = another_run_sets_it(monkeypatch, data_dir, PASSPHRASE)
    first = passphrase_file(data_dir)
    assert not first.exists()

    key = resolve_data_key(data_dir, PASSPHRASE)

    written = first.read_bytes()
    assert key == others_key()  # the other run's salt, so what it saves stays readable
    assert resolve_data_key(data_dir, PASSPHRASE) == key
    assert first.read_bytes() == written
    assert [p.name for p in data_dir.iterdir()] == ["passphrase.json"]  # no temporary left


def test_a_passphrase_set_meanwhile_with_another_passphrase_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    another_run_sets_it(monkeypatch, data_dir, "the other run's passphrase")

    with pytest.raises(WrongPassphraseError):
        resolve_data_key(data_dir, PASSPHRASE)
    assert len(resolve_data_key(data_dir, "the other run's passphrase")) == 32


def test_a_garbage_database_is_named_in_a_typed_error(tmp_path: Path) -> None:
    (tmp_path / DATABASE_NAME).write_bytes(b"this is not a database, just some bytes " * 40)

    with pytest.raises(UnreadableDatabaseError) as caught:
        read_key_check(tmp_path / DATABASE_NAME)

    assert str(tmp_path / DATABASE_NAME) in caught.value.message
    assert "file is not a database" in caught.value.message


@pytest.mark.usefixtures("no_keyring")
def test_a_missing_keyring_is_reported_even_over_a_garbage_database(tmp_path: Path) -> None:
    (tmp_path / DATABASE_NAME).write_bytes(b"this is not a database, just some bytes " * 40)

    with pytest.raises(KeychainUnavailableError) as caught:
        resolve_data_key(tmp_path)

    assert not isinstance(caught.value, KeyringKeyRequiredError)
    assert caught.value.message.startswith("No usable system keyring was found")
