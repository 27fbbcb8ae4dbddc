"""Value sealing and the passphrase key."""

from __future__ import annotations

import json
import os
import secrets
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faststore_desktop.webops.local.crypto import (
    CorruptValueError,
    DamagedPassphraseFileError,
    DataKeyMismatchError,
    ValueCipher,
    WrongPassphraseError,
    create_passphrase_key,
    open_passphrase_key,
    passphrase_file,
)

KEY = secrets.token_bytes(32)


@settings(max_examples=40, deadline=None)
@given(st.text())
def test_sealed_values_open_to_themselves(value: str) -> None:
    cipher = ValueCipher(KEY)
    assert cipher.open("s1", "K", 3, cipher.seal("s1", "K", 3, value)) == value


def test_each_seal_uses_a_fresh_nonce() -> None:
    cipher = ValueCipher(KEY)
    first, second = cipher.seal("s", "K", 1, "same"), cipher.seal("s", "K", 1, "same")
    assert first != second
    assert first[1:13] != second[1:13]
    assert b"same" not in first


@pytest.mark.parametrize(
    ("store_id", "key", "version"), [("other", "K", 1), ("s", "OTHER", 1), ("s", "K", 2)]
)
def test_a_value_moved_to_another_row_fails_to_open(store_id: str, key: str, version: int) -> None:
    cipher = ValueCipher(KEY)
    sealed = cipher.seal("s", "K", 1, "value")
    with pytest.raises(CorruptValueError) as caught:
        cipher.open(store_id, key, version, sealed)
    assert "value" not in caught.value.message.replace("stored value", "")


def test_a_tampered_value_fails_to_open() -> None:
    cipher = ValueCipher(KEY)
    sealed = bytearray(cipher.seal("s", "K", 1, "value"))
    sealed[-1] ^= 1
    with pytest.raises(CorruptValueError):
        cipher.open("s", "K", 1, bytes(sealed))


def test_another_key_cannot_open_values_or_pass_the_key_check() -> None:
    cipher, other = ValueCipher(KEY), ValueCipher(secrets.token_bytes(32))
    with pytest.raises(CorruptValueError):
        other.open("s", "K", 1, cipher.seal("s", "K", 1, "value"))
    cipher.verify_key_check(cipher.key_check())
    with pytest.raises(DataKeyMismatchError):
        other.verify_key_check(cipher.key_check())


def test_fingerprints_compare_values_and_depend_on_the_key() -> None:
    cipher = ValueCipher(KEY)
    assert cipher.fingerprint("a") == cipher.fingerprint("a") != cipher.fingerprint("b")
    assert ValueCipher(secrets.token_bytes(32)).fingerprint("a") != cipher.fingerprint("a")


def test_passphrase_key_is_stable_and_a_wrong_one_is_named(tmp_path: Path) -> None:
    key = create_passphrase_key(tmp_path, "correct horse battery staple")
    assert len(key) == 32
    saved = passphrase_file(tmp_path).read_bytes()
    assert open_passphrase_key(tmp_path, "correct horse battery staple") == key
    with pytest.raises(WrongPassphraseError) as caught:
        open_passphrase_key(tmp_path, "wrong horse")
    assert caught.value.message == "That passphrase does not open the data in this folder."
    assert passphrase_file(tmp_path).read_bytes() == saved  # opening never rewrites the file
    stored = json.loads(saved)
    assert stored["kdf"] == "scrypt"
    assert key.hex() not in saved.decode()
    assert "correct horse" not in saved.decode()


def test_the_passphrase_file_is_written_whole_and_for_its_owner_only(tmp_path: Path) -> None:
    create_passphrase_key(tmp_path / "new", "correct horse battery staple")

    assert [p.name for p in (tmp_path / "new").iterdir()] == ["passphrase.json"]  # no temp left
    if os.name == "posix":
        assert stat.S_IMODE(passphrase_file(tmp_path / "new").stat().st_mode) == 0o600


def test_empty_passphrase_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WrongPassphraseError):
        create_passphrase_key(tmp_path, "")
    assert not passphrase_file(tmp_path).exists()


@pytest.mark.parametrize(
    "damage",
    ["", "{not json", '{"salt": "zz", "n": 2, "r": 8, "p": 1, "verifier": ""}', '{"salt": "00"}'],
)
def test_a_damaged_passphrase_file_is_named_not_a_crash(tmp_path: Path, damage: str) -> None:
    create_passphrase_key(tmp_path, "correct horse battery staple")
    passphrase_file(tmp_path).write_text(damage)

    with pytest.raises(DamagedPassphraseFileError) as caught:
        open_passphrase_key(tmp_path, "correct horse battery staple")

    assert "passphrase.json is damaged" in caught.value.message
    assert "correct horse" not in caught.value.message
    assert isinstance(caught.value, WrongPassphraseError)  # the app asks for it again
