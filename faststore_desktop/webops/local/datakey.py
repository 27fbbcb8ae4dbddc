"""Where the embedded store's data key comes from: the OS keyring, or a passphrase."""

from __future__ import annotations

from pathlib import Path

from faststore_desktop.webops import keychain
from faststore_desktop.webops.errors import WebOpsError
from faststore_desktop.webops.local.crypto import derive_passphrase_key, passphrase_file


class PassphraseRequiredError(WebOpsError):
    """The data folder is protected by a passphrase; ask the user for it."""

    code = "passphrase-required"


def resolve_data_key(data_dir: Path, passphrase: str | None = None) -> bytes:
    """The data key of `data_dir`. Blocking (keyring, scrypt): run it in an executor.

    Without a passphrase the key comes from the OS keyring (made on first use); raises
    KeychainUnavailableError when there is no usable keyring, PassphraseRequiredError when the
    folder was set up with a passphrase. With one, it derives the key (setting the passphrase
    the first time) and raises WrongPassphraseError when it does not match.
    """
    if passphrase is not None:
        return derive_passphrase_key(data_dir, passphrase)
    if passphrase_file(data_dir).exists():
        raise PassphraseRequiredError(
            "These variables and secrets are protected by a passphrase. Enter it to open them."
        )
    return keychain.load_or_create_data_key()
