"""The keychain module: backend naming, refusing plaintext/no-op backends, tokens, data key."""

from __future__ import annotations

import base64

import keyring
import keyring.backend
import pytest
from keyring.backends import chainer, fail, null

from faststore_desktop.webops import keychain
from faststore_desktop.webops.keychain import KeychainUnavailableError


class _LockedKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("locked")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("locked")


@pytest.fixture
def use_backend():  # type: ignore[no-untyped-def]
    previous = keyring.get_keyring()

    def use(backend: keyring.backend.KeyringBackend) -> None:
        keyring.set_keyring(backend)

    yield use
    keyring.set_keyring(previous)


def test_data_key_is_created_once_and_stored_base64() -> None:
    key = keychain.load_or_create_data_key()

    assert len(key) == 32
    assert keychain.load_or_create_data_key() == key
    stored = keyring.get_password(keychain.DATA_KEY_SERVICE, keychain.DATA_KEY_ACCOUNT)
    assert stored is not None
    assert base64.b64decode(stored) == key


def test_a_damaged_data_key_is_reported_not_replaced() -> None:
    keyring.set_password(keychain.DATA_KEY_SERVICE, keychain.DATA_KEY_ACCOUNT, "not-a-key")

    with pytest.raises(KeychainUnavailableError) as caught:
        keychain.load_or_create_data_key()
    assert "damaged" in caught.value.message
    assert keyring.get_password(keychain.DATA_KEY_SERVICE, keychain.DATA_KEY_ACCOUNT) == "not-a-key"


def test_tokens_are_stored_per_server_and_deleted() -> None:
    keychain.set_token("https://a.example", "token-a")
    keychain.set_token("https://b.example", "token-b")

    assert keychain.get_token("https://a.example") == "token-a"
    keychain.delete_token("https://a.example")
    keychain.delete_token("https://a.example")  # nothing left: not an error
    assert keychain.get_token("https://a.example") is None
    assert keychain.get_token("https://b.example") == "token-b"


@pytest.mark.parametrize(
    "backend",
    [fail.Keyring(), null.Keyring()],
    ids=["fail", "null"],
)
def test_no_op_backends_are_refused_with_what_to_do(use_backend, backend) -> None:  # type: ignore[no-untyped-def]
    use_backend(backend)

    with pytest.raises(KeychainUnavailableError) as caught:
        keychain.load_or_create_data_key()
    assert caught.value.message.startswith("No usable system keyring was found: ")
    # The passphrase is offered by the app only where one can open the data, never here.
    assert "passphrase" not in caught.value.message
    assert not keychain.is_secure_backend()


def test_a_plaintext_file_backend_is_refused(use_backend) -> None:  # type: ignore[no-untyped-def]
    plaintext = type("PlaintextKeyring", (null.Keyring,), {"__module__": "keyrings.alt.file"})
    use_backend(plaintext())

    with pytest.raises(KeychainUnavailableError):
        keychain.set_token("https://a.example", "t")


def test_a_chainer_of_nothing_is_refused(use_backend) -> None:  # type: ignore[no-untyped-def]
    empty = chainer.ChainerBackend()
    empty.__dict__["backends"] = []
    use_backend(empty)

    with pytest.raises(KeychainUnavailableError):
        keychain.get_token("https://a.example")


def test_a_locked_keyring_says_to_unlock_it(use_backend) -> None:  # type: ignore[no-untyped-def]
    use_backend(_LockedKeyring())

    with pytest.raises(KeychainUnavailableError) as caught:
        keychain.load_or_create_data_key()
    assert "locked" in caught.value.message.lower()


def test_the_test_keyring_is_usable_but_not_called_secure() -> None:
    assert "MemoryKeyring" in keychain.backend_name()
    assert not keychain.is_secure_backend()


@pytest.mark.keyring
def test_real_secret_service_keeps_the_data_key_and_tokens(real_keyring) -> None:  # type: ignore[no-untyped-def]
    assert keychain.is_secure_backend()
    assert "SecretService" in keychain.backend_name()
    service = "FastStore Desktop test"
    key = keychain.load_or_create_data_key(service=service)
    try:
        assert keychain.load_or_create_data_key(service=service) == key
        keychain.set_token("https://server.example", "real-token")
        assert keychain.get_token("https://server.example") == "real-token"
    finally:
        keychain.delete_token("https://server.example")
        real_keyring.delete_password(service, keychain.DATA_KEY_ACCOUNT)
    assert keychain.get_token("https://server.example") is None
