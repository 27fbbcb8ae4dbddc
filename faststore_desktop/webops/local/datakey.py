"""Where the embedded store's data key comes from: the OS keyring, or a passphrase.

A passphrase is set only where it cannot lock anyone out: `passphrase.json` is written for a
folder that holds no data yet, and a folder whose data another key sealed (the keyring's) is
refused without writing anything. A folder that has a passphrase is opened only by a key that
passes both its verifier and the database's key check, or by the keyring's key when that
file turns out stale (written by an earlier version over data the keyring's key sealed).
"""

from __future__ import annotations

import contextlib
import itertools
import os
from pathlib import Path
from typing import NamedTuple

from faststore_desktop.webops import keychain
from faststore_desktop.webops.errors import WebOpsError
from faststore_desktop.webops.local.crypto import (
    DataKeyMismatchError,
    ValueCipher,
    create_passphrase_key,
    open_passphrase_key,
    passphrase_file,
)
from faststore_desktop.webops.local.db import (
    DATABASE_NAME,
    UnreadableDatabaseError,
    read_key_check,
)


class PassphraseRequiredError(WebOpsError):
    """The data folder is protected by a passphrase; ask the user for it."""

    code = "passphrase-required"


class KeyringKeyRequiredError(keychain.KeychainUnavailableError):
    """The folder's data was saved with the keyring's key: only the keyring can open it.

    `keyring_problem` is the keychain's own message (what to install or unlock), empty when the
    keyring was not asked (a passphrase was offered for this data).
    """

    code = "keyring-key-required"

    def __init__(self, keyring_problem: str = "") -> None:
        saved = (
            "These variables and secrets were saved with the key in the system keyring, so no "
            "passphrase can open them: unlock the keyring (or install it and log in again), "
            "then try again."
        )
        super().__init__(f"{keyring_problem} {saved}" if keyring_problem else saved)
        self.keyring_problem = keyring_problem


class DataKey(NamedTuple):
    key: bytes
    #: The key came from the OS keyring (else from the passphrase).
    from_keyring: bool


def resolve_data_key(data_dir: Path, passphrase: str | None = None) -> bytes:
    """The data key of `data_dir`. Blocking (keyring, scrypt, SQLite): run it in an executor.

    Without a passphrase the key comes from the OS keyring (made on first use); raises
    PassphraseRequiredError when the folder was set up with a passphrase, KeychainUnavailableError
    when there is no usable keyring (KeyringKeyRequiredError when the folder's data was saved
    with the keyring's key, so a passphrase is no way out). With a passphrase, see
    `passphrase_data_key`; see `open_data_key` for a stale `passphrase.json`.
    """
    return open_data_key(data_dir, passphrase).key


def open_data_key(data_dir: Path, passphrase: str | None = None) -> DataKey:
    """`resolve_data_key`, saying where the key came from.

    A `passphrase.json` may be stale: an earlier version could write one over data already
    saved with the keyring's key. Its passphrase passes the file's verifier but not the
    database's key check; then the keyring's key (never a new one) is tried against that check,
    and when it fits, it opens the data and the stale file is set aside
    (`passphrase.json.stale`, never deleted) so the next start uses the keyring directly.
    Otherwise the DataKeyMismatchError stands. The keyring is not asked before the passphrase:
    where it is locked, asking it at every start would prompt a passphrase user to unlock it.
    """
    if passphrase is not None:
        try:
            return DataKey(passphrase_data_key(data_dir, passphrase), from_keyring=False)
        except DataKeyMismatchError:
            key = _keyring_key_over_stale_passphrase(data_dir)
            if key is None:
                raise
            return DataKey(key, from_keyring=True)
    if passphrase_file(data_dir).exists():
        raise PassphraseRequiredError(
            "These variables and secrets are protected by a passphrase. Enter it to open them."
        )
    try:
        return DataKey(keychain.load_or_create_data_key(), from_keyring=True)
    except keychain.KeychainUnavailableError as error:
        try:
            key_check = _stored_key_check(data_dir)
        except UnreadableDatabaseError:
            raise error from None  # the keyring is the problem to report first
        if key_check is not None:
            raise KeyringKeyRequiredError(error.message) from None
        raise


def passphrase_data_key(data_dir: Path, passphrase: str) -> bytes:
    """The data key `passphrase` gives for `data_dir`, verified before anything is written.

    - The folder has a passphrase: the derived key must pass `passphrase.json`'s verifier
      (else WrongPassphraseError) and the database's key check when there is data (else
      DataKeyMismatchError: that file belongs to other data). Nothing is written.
    - No passphrase, but data saved with another key (the keyring's): KeyringKeyRequiredError,
      and nothing is written, since no new passphrase could open that data.
    - A folder with no data yet: the passphrase is set (`passphrase.json` written).
    """
    key_check = _stored_key_check(data_dir)
    if passphrase_file(data_dir).exists():
        key = open_passphrase_key(data_dir, passphrase)
        if key_check is not None:
            ValueCipher(key).verify_key_check(key_check)
        return key
    if key_check is not None:
        raise KeyringKeyRequiredError()
    return create_passphrase_key(data_dir, passphrase)


def _keyring_key_over_stale_passphrase(data_dir: Path) -> bytes | None:
    """The keyring's key when it opens `data_dir`'s data, with `passphrase.json` set aside;
    None when there is no data, no usable keyring, no key in it, or its key does not fit."""
    key_check = _stored_key_check(data_dir)
    if key_check is None:
        return None
    try:
        key = keychain.load_data_key()
    except keychain.KeychainUnavailableError:
        return None
    if key is None:
        return None
    try:
        ValueCipher(key).verify_key_check(key_check)
    except DataKeyMismatchError:
        return None
    _set_aside(passphrase_file(data_dir))
    return key


def _set_aside(path: Path) -> None:
    """Rename `path` to `<name>.stale` (`.stale-2`, ... when taken), never over another file."""
    for number in itertools.count(1):
        target = path.with_name(f"{path.name}.stale" + ("" if number == 1 else f"-{number}"))
        if target.exists():
            continue
        try:
            os.link(path, target)
        except FileExistsError:
            continue
        except FileNotFoundError:
            return  # another start set it aside first
        except OSError:  # no hard links here: a rename, the target checked just above
            with contextlib.suppress(FileNotFoundError):
                path.rename(target)
            return
        path.unlink(missing_ok=True)
        return


def _stored_key_check(data_dir: Path) -> bytes | None:
    return read_key_check(data_dir / DATABASE_NAME)
