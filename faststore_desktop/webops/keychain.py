"""The one module in front of the OS keyring: the data key of the embedded store and API tokens.

It names the backend in use and refuses the ones that would keep secrets in a plain file
(keyrings.alt) or not at all (`fail`, `null`): there is no plaintext fallback. Every function
blocks (D-Bus, Keychain or Credential Manager round trips); callers run them in an executor.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import sys
from collections.abc import Callable
from typing import TypeVar

import keyring
import keyring.backend
import keyring.errors

from faststore_desktop.webops.errors import WebOpsError

DATA_KEY_SERVICE = "FastStore Desktop"
DATA_KEY_ACCOUNT = "data-key"
TOKEN_SERVICE = "FastStore Desktop API token"
DATA_KEY_BYTES = 32

_T = TypeVar("_T")

#: Modules of backends that keep secrets in the operating system's own protected store.
_SYSTEM_BACKENDS = (
    "keyring.backends.SecretService",
    "keyring.backends.libsecret",
    "keyring.backends.kwallet",
    "keyring.backends.macOS",
    "keyring.backends.Windows",
)
#: Backends that store nothing, or store it where anyone reading the disk can.
_UNUSABLE_BACKENDS = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


class KeychainUnavailableError(WebOpsError):
    """No usable keyring; the message says what to install or unlock. (Whether a passphrase can
    stand in depends on the data, so the app, not this message, offers it.)"""

    code = "keychain-unavailable"


def backend_name() -> str:
    """A readable name of the keyring in use, e.g. "SecretService Keyring"."""
    return ", ".join(_describe(backend) for backend in _leaves(keyring.get_keyring()))


def is_secure_backend() -> bool:
    """True when every backend in use is the operating system's own secret store."""
    leaves = _leaves(keyring.get_keyring())
    return bool(leaves) and all(_module_of(b).startswith(_SYSTEM_BACKENDS) for b in leaves)


def load_or_create_data_key(
    service: str = DATA_KEY_SERVICE, account: str = DATA_KEY_ACCOUNT
) -> bytes:
    """The embedded store's 32-byte data key; made and saved on first use."""
    stored = load_data_key(service, account)
    if stored is not None:
        return stored
    backend = _usable_backend()
    key = secrets.token_bytes(DATA_KEY_BYTES)
    _call(lambda: backend.set_password(service, account, base64.b64encode(key).decode("ascii")))
    return key


def load_data_key(service: str = DATA_KEY_SERVICE, account: str = DATA_KEY_ACCOUNT) -> bytes | None:
    """The embedded store's data key when the keyring holds one; None otherwise (none is made)."""
    backend = _usable_backend()
    stored = _call(lambda: backend.get_password(service, account))
    if stored is None:
        return None
    try:
        key = base64.b64decode(stored, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != DATA_KEY_BYTES:
        raise KeychainUnavailableError(
            f'The data key stored in {backend_name()} under "{service}" is damaged. '
            "Restore it from a backup of the keyring."
        )
    return key


def get_token(server_url: str) -> str | None:
    backend = _usable_backend()
    result: str | None = _call(lambda: backend.get_password(TOKEN_SERVICE, server_url))
    return result


def set_token(server_url: str, token: str) -> None:
    backend = _usable_backend()
    _call(lambda: backend.set_password(TOKEN_SERVICE, server_url, token))


def delete_token(server_url: str) -> None:
    """Forget a server's token; nothing happens when none is stored."""
    backend = _usable_backend()
    try:
        _call(lambda: backend.delete_password(TOKEN_SERVICE, server_url))
    except keyring.errors.PasswordDeleteError:
        return


def _usable_backend() -> keyring.backend.KeyringBackend:
    backend = keyring.get_keyring()
    leaves = _leaves(backend)
    if not leaves or any(_module_of(b).startswith(_UNUSABLE_BACKENDS) for b in leaves):
        raise KeychainUnavailableError(_missing_keyring_message())
    return backend


def _call(operation: Callable[[], _T]) -> _T:
    try:
        return operation()
    except keyring.errors.PasswordDeleteError:
        raise
    except keyring.errors.KeyringLocked as error:
        raise KeychainUnavailableError(
            f"The keyring ({backend_name()}) is locked. Unlock it (log in to the desktop "
            "session or open your keyring manager) and try again."
        ) from error
    except keyring.errors.KeyringError as error:
        raise KeychainUnavailableError(
            f"The keyring ({backend_name()}) did not answer: {type(error).__name__}. "
            "Check that it is running and unlocked."
        ) from error


def _missing_keyring_message() -> str:
    if sys.platform == "darwin":
        where = "the macOS Keychain is not reachable; log in to a desktop session"
    elif sys.platform == "win32":
        where = "Windows Credential Manager is not reachable; log in to a desktop session"
    else:
        where = (
            "install a Secret Service provider (GNOME Keyring: gnome-keyring, or KWallet) "
            "and log in to a desktop session that unlocks it"
        )
    return f"No usable system keyring was found: {where}."


def _leaves(backend: keyring.backend.KeyringBackend) -> list[keyring.backend.KeyringBackend]:
    """The backends actually used: a chainer stands for the ones it wraps."""
    nested = getattr(backend, "backends", None)
    if nested is None:
        return [backend]
    return [leaf for child in nested for leaf in _leaves(child)]


def _module_of(backend: keyring.backend.KeyringBackend) -> str:
    return type(backend).__module__


def _describe(backend: keyring.backend.KeyringBackend) -> str:
    name = getattr(backend, "name", "") or type(backend).__name__
    return str(name)
