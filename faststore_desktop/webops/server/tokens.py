"""Bearer tokens of the API server, kept as hashes in a small SQLite file.

A token reads `fsd_<id>_<secret>`. Only SHA-256 of the whole token is stored: tokens are 256-bit
random strings, so a fast hash is enough (a slow KDF protects guessable passwords, not these).
The id finds the row; the hash is compared in constant time.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from faststore_desktop.webops.errors import AuthenticationError, ConflictError, NotFoundError

TOKEN_FILE = "tokens.sqlite3"
_TOKEN_RE = re.compile(r"^fsd_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}$")
#: Compared against when the token id is unknown, so both paths cost one hash and one compare.
_DUMMY_HASH = hashlib.sha256(b"no such token").hexdigest()

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT
)
"""


class Role(enum.IntEnum):
    """Roles mirror WebOps' permissions; each includes the ones below it."""

    VIEWER = 1  # View Secrets
    EDITOR = 2  # Edit Secrets
    ADMIN = 3  # store settings

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, label: str) -> Role:
        try:
            return cls[label.upper()]
        except KeyError:
            raise ValueError(f"unknown role {label!r}: use viewer, editor or admin") from None


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a request acts as: the token's name is the actor written into history."""

    name: str
    role: Role


@dataclass(frozen=True, slots=True)
class TokenInfo:
    name: str
    role: Role
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def __repr__(self) -> str:
        return f"TokenInfo(name={self.name!r}, role={self.role.label})"


class TokenStore:
    """Create, list, revoke and check tokens. One connection; every check reads the file, so a
    token revoked from the command line stops working at once on a running server."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)
        path.chmod(0o600)

    @classmethod
    def in_dir(cls, data_dir: Path) -> TokenStore:
        return cls(data_dir / TOKEN_FILE)

    def close(self) -> None:
        self._db.close()

    def create(self, name: str, role: Role, *, expires_in: timedelta | None = None) -> str:
        """Store a new token and return it; this is the only time it is ever shown."""
        if not _NAME_RE.match(name):
            raise ValueError("a token name is 1-64 letters, digits, spaces or . _ @ -")
        token_id = secrets.token_hex(8)
        token = f"fsd_{token_id}_{secrets.token_urlsafe(32)}"
        now = datetime.now(UTC)
        expires = None if expires_in is None else (now + expires_in).isoformat()
        try:
            self._db.execute(
                "INSERT INTO tokens (id, name, role, hash, created_at, expires_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (token_id, name, role.label, _hash(token), now.isoformat(), expires),
            )
        except sqlite3.IntegrityError:
            raise ConflictError(f"A token named {name!r} already exists.") from None
        return token

    def list(self) -> list[TokenInfo]:
        rows = self._db.execute(
            "SELECT name, role, created_at, expires_at, revoked_at FROM tokens ORDER BY name"
        ).fetchall()
        return [
            TokenInfo(name, Role.parse(role), _dt(created), _opt_dt(expires), _opt_dt(revoked))
            for name, role, created, expires, revoked in rows
        ]

    def revoke(self, name: str) -> None:
        cursor = self._db.execute(
            "UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
            (datetime.now(UTC).isoformat(), name),
        )
        if cursor.rowcount == 0:
            raise NotFoundError(f"No active token is named {name!r}.")

    def authenticate(self, token: str) -> Principal:
        """The principal of a presented token; AuthenticationError saying why otherwise."""
        match = _TOKEN_RE.match(token)
        row = None
        if match:
            row = self._db.execute(
                "SELECT name, role, hash, expires_at, revoked_at FROM tokens WHERE id = ?",
                (match.group(1),),
            ).fetchone()
        stored_hash = row[2] if row else _DUMMY_HASH
        if not hmac.compare_digest(_hash(token), stored_hash) or row is None:
            raise AuthenticationError("The token is not valid for this server.")
        name, role, _hash_value, expires, revoked = row
        if revoked is not None:
            raise AuthenticationError("The token has been revoked.")
        if expires is not None and _dt(expires) <= datetime.now(UTC):
            raise AuthenticationError("The token has expired.")
        return Principal(name, Role.parse(role))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _opt_dt(text: str | None) -> datetime | None:
    return None if text is None else _dt(text)
