"""The server's data key: in server mode there is no OS keyring, so the operator provides the key
in a file (`--key-file`) or in the `FSD_SERVER_DATA_KEY` environment variable (base64)."""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import stat
from pathlib import Path

KEY_ENV = "FSD_SERVER_DATA_KEY"
KEY_BYTES = 32
HOW_TO_MAKE_ONE = (
    "Make one with `faststore-desktop server-key create PATH`, then start the server with "
    f"`--key-file PATH` (or put the file's content in the {KEY_ENV} environment variable). "
    "Keep it safe: without it the stored values cannot be read."
)


class DataKeyError(Exception):
    """The key is missing, unreadable or malformed; the message says what to do."""


def create_key_file(path: Path) -> None:
    """Write a new random key readable by its owner only; never overwrite an existing one."""
    encoded = base64.b64encode(secrets.token_bytes(KEY_BYTES)) + b"\n"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise DataKeyError(f"{path} already exists; it was left untouched.") from None
    with os.fdopen(fd, "wb") as out:
        out.write(encoded)


def load_data_key(key_file: Path | None, environ: dict[str, str] | None = None) -> bytes:
    """The key from `key_file` when given (refused if others may read it), else from the
    environment variable; DataKeyError saying how to make one when there is neither."""
    environ = dict(os.environ) if environ is None else environ
    if key_file is not None:
        try:
            mode = key_file.stat().st_mode
            text = key_file.read_text(encoding="ascii")
        except OSError as error:
            raise DataKeyError(
                f"The key file {key_file} cannot be read ({error.strerror})."
            ) from None
        except UnicodeDecodeError:
            raise DataKeyError(f"The key file {key_file} is not a server key.") from None
        if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise DataKeyError(
                f"The key file {key_file} is readable by other users; "
                f"restrict it with `chmod 600 {key_file}`."
            )
        return _decode(text, f"the key file {key_file}")
    if environ.get(KEY_ENV):
        return _decode(environ[KEY_ENV], f"the {KEY_ENV} environment variable")
    raise DataKeyError(f"The server needs a data key and none was given. {HOW_TO_MAKE_ONE}")


def _decode(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise DataKeyError(f"The data key in {where} is not a valid key. {HOW_TO_MAKE_ONE}")
    return key
