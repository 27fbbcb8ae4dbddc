"""Choosing the data key: the keyring by default, a passphrase when the user picked one."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from faststore_desktop.webops.keychain import KeychainUnavailableError
from faststore_desktop.webops.local.crypto import WrongPassphraseError
from faststore_desktop.webops.local.datakey import PassphraseRequiredError, resolve_data_key


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
