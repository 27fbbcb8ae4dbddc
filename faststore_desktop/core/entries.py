"""Variables and secrets: what WebOps stores for a store."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class EntryType(enum.StrEnum):
    """A `text` value can be shown again; a `secret` is write-only once saved."""

    TEXT = "text"
    SECRET = "secret"


@dataclass(frozen=True, slots=True)
class Entry:
    """One key of a store as a reader sees it.

    `value` is None for a secret: once saved, its value is never returned.
    """

    key: str
    type: EntryType
    value: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    author: str

    @property
    def is_secret(self) -> bool:
        return self.type is EntryType.SECRET

    def __repr__(self) -> str:  # never let a value reach a log through repr()
        return f"Entry(key={self.key!r}, type={self.type.value}, version={self.version})"
