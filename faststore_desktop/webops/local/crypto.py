"""Encryption of entry values at rest, and the passphrase alternative to the OS keyring.

Every value (text or secret) is sealed with AES-256-GCM under a fresh 96-bit random nonce. The
associated data binds the store id, the key and the version, so a sealed value copied onto
another row (or another store, or another version) fails to open instead of being accepted.
The data key is never used directly: HKDF derives one subkey for values and one for fingerprints.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from faststore_desktop.core.files import write_atomically
from faststore_desktop.webops.errors import WebOpsError

KEY_BYTES = 32
NONCE_BYTES = 12
#: First byte of every sealed value, so the format can change without guessing.
_FORMAT = b"\x01"
_KEY_CHECK_PLAINTEXT = b"FastStore Desktop data key check"
_PASSPHRASE_CHECK = b"FastStore Desktop passphrase check"
#: scrypt cost: 2**15 x 8 x 128 bytes = 32 MiB of memory, about 0.1 s here.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**15, 8, 1


class DataKeyMismatchError(WebOpsError):
    """The key given cannot open this data folder (another keyring entry or passphrase)."""

    code = "data-key-mismatch"


class WrongPassphraseError(WebOpsError):
    code = "wrong-passphrase"


class DamagedPassphraseFileError(WrongPassphraseError):
    """passphrase.json cannot be read: no passphrase can be checked until it is restored."""

    code = "damaged-passphrase-file"


class CorruptValueError(WebOpsError):
    """A sealed value failed authentication: tampered with, or moved to another row."""

    code = "corrupt-value"


class ValueCipher:
    """Seals and opens entry values with subkeys of one data key."""

    def __init__(self, data_key: bytes) -> None:
        if len(data_key) != KEY_BYTES:
            raise ValueError("the data key must be 32 bytes")
        self._aead = AESGCM(_subkey(data_key, b"faststore-desktop values v1"))
        self._fingerprint_key = _subkey(data_key, b"faststore-desktop fingerprints v1")

    def seal(self, store_id: str, key: str, version: int, value: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, value.encode("utf-8"), _binding(store_id, key, version))
        return _FORMAT + nonce + sealed

    def open(self, store_id: str, key: str, version: int, blob: bytes) -> str:
        if blob[:1] != _FORMAT:
            raise CorruptValueError(f"The stored value of {key} (version {version}) is unreadable.")
        nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
        try:
            plain = self._aead.decrypt(nonce, sealed, _binding(store_id, key, version))
        except InvalidTag:
            raise CorruptValueError(
                f"The stored value of {key} (version {version}) failed its integrity check."
            ) from None
        return plain.decode("utf-8")

    def fingerprint(self, value: str) -> str:
        """Equal values give equal fingerprints; without the data key it reveals nothing.

        Keyed, unlike `core.review.fingerprint`: this one is stored beside every sealed value and
        returned by history (to any viewer of a server), so an unkeyed hash would let whoever
        copies the database, or holds a viewer token, test guesses of a secret offline.
        """
        digest = hmac.new(self._fingerprint_key, value.encode("utf-8"), hashlib.sha256)
        return digest.hexdigest()[:16]

    def digest(self, material: bytes) -> str:
        """A keyed digest of a request, to recognise a repeated idempotency key's request."""
        return hmac.new(self._fingerprint_key, material, hashlib.sha256).hexdigest()

    def key_check(self) -> bytes:
        """A sealed constant stored with the data, to recognise the right key on open."""
        nonce = os.urandom(NONCE_BYTES)
        return _FORMAT + nonce + self._aead.encrypt(nonce, _KEY_CHECK_PLAINTEXT, b"key-check")

    def verify_key_check(self, blob: bytes) -> None:
        nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
        try:
            self._aead.decrypt(nonce, sealed, b"key-check")
        except InvalidTag:
            raise DataKeyMismatchError(
                "These variables and secrets were saved with another data key. Open them with "
                "the keyring entry or passphrase they were created with."
            ) from None


def open_passphrase_key(data_dir: Path, passphrase: str) -> bytes:
    """The data key `passphrase` gives with the salt of `data_dir`'s `passphrase.json`.

    Writes nothing. The file's verifier (an HMAC made with the derived key) tells a wrong
    passphrase (`WrongPassphraseError`) from unreadable data; the file must exist.
    """
    _require(passphrase)
    params = _read_passphrase_file(passphrase_file(data_dir))
    key = _scrypt(passphrase, params["salt"], params["n"], params["r"], params["p"])
    if not hmac.compare_digest(_passphrase_verifier(key), params["verifier"]):
        raise WrongPassphraseError("That passphrase does not open the data in this folder.")
    return key


def create_passphrase_key(data_dir: Path, passphrase: str) -> bytes:
    """Set `passphrase` for `data_dir`: a fresh salt, the derived key, `passphrase.json` saved.

    Only for a folder that holds no data yet (`datakey.resolve_data_key` checks): a fresh salt
    gives a key that nothing already saved was sealed with. The file is written whole or not at
    all, readable by its owner only where the OS allows, and only if it does not exist yet: when
    another first run set a passphrase meanwhile, its file is kept and `passphrase` is checked
    against it (`open_passphrase_key`), since replacing its salt would lock out whatever that
    run saves.
    """
    _require(passphrase)
    path = passphrase_file(data_dir)
    salt = secrets.token_bytes(16)
    key = _scrypt(passphrase, salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)
    params = {
        "kdf": "scrypt",
        "salt": salt.hex(),
        "n": _SCRYPT_N,
        "r": _SCRYPT_R,
        "p": _SCRYPT_P,
        "verifier": _passphrase_verifier(key),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_atomically(path, json.dumps(params, indent=2).encode("utf-8"), exclusive=True)
    except FileExistsError:
        return open_passphrase_key(data_dir, passphrase)
    return key


def passphrase_file(data_dir: Path) -> Path:
    return data_dir / "passphrase.json"


def _read_passphrase_file(path: Path) -> dict[str, Any]:
    """The salt (as bytes), scrypt parameters and verifier; a typed error when it is damaged."""
    try:
        params = json.loads(path.read_text(encoding="utf-8"))
        return {
            "salt": bytes.fromhex(params["salt"]),
            "n": int(params["n"]),
            "r": int(params["r"]),
            "p": int(params["p"]),
            "verifier": str(params["verifier"]),
        }
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise DamagedPassphraseFileError(
            f"{path} is damaged ({type(error).__name__}), so the passphrase cannot be checked. "
            "Restore it from a backup of this folder."
        ) from None


def _require(passphrase: str) -> None:
    if not passphrase:
        raise WrongPassphraseError("The passphrase cannot be empty.")


def _scrypt(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r, dklen=KEY_BYTES
    )


def _passphrase_verifier(key: bytes) -> str:
    return hmac.new(key, _PASSPHRASE_CHECK, hashlib.sha256).hexdigest()


def _subkey(data_key: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose).derive(
        data_key
    )


def _binding(store_id: str, key: str, version: int) -> bytes:
    # NUL cannot occur in a store id or a key, so the fields cannot run into each other.
    return b"\x00".join((store_id.encode(), key.encode(), str(version).encode()))
