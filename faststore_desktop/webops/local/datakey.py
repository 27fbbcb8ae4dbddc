"""Where the embedded store's data key comes from: the OS keyring, or a passphrase.

A passphrase is set only where it cannot lock anyone out: `passphrase.json` is written for a
folder that holds no data yet, and a folder whose data another key sealed (the keyring's) is
refused without writing anything. A folder that has a passphrase is opened only by a key that
passes both its verifier and the database's key check.
"""

from __future__ import annotations

from pathlib import Path

from faststore_desktop.webops import keychain
from faststore_desktop.webops.errors import WebOpsError
from faststore_desktop.webops.local.crypto import (
    ValueCipher,
    create_passphrase_key,
    open_passphrase_key,
    passphrase_file,
)
from faststore_desktop.webops.local.db import DATABASE_NAME, read_key_check


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


def resolve_data_key(data_dir: Path, passphrase: str | None = None) -> bytes:
    """The data key of `data_dir`. Blocking (keyring, scrypt, SQLite): run it in an executor.

    Without a passphrase the key comes from the OS keyring (made on first use); raises
    PassphraseRequiredError when the folder was set up with a passphrase, KeychainUnavailableError
    when there is no usable keyring (KeyringKeyRequiredError when the folder's data was saved
    with the keyring's key, so a passphrase is no way out). With a passphrase, see
    `passphrase_data_key`.
    """
    if passphrase is not None:
        return passphrase_data_key(data_dir, passphrase)
    if passphrase_file(data_dir).exists():
        raise PassphraseRequiredError(
            "These variables and secrets are protected by a passphrase. Enter it to open them."
        )
    try:
        return keychain.load_or_create_data_key()
    except keychain.KeychainUnavailableError as error:
        if _stored_key_check(data_dir) is not None:
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


def _stored_key_check(data_dir: Path) -> bytes | None:
    return read_key_check(data_dir / DATABASE_NAME)
