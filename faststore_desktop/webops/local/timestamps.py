"""Timestamps as stored: ISO 8601 text in UTC, which sorts in time order."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)


def to_db(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_db(text: str) -> datetime:
    return datetime.fromisoformat(text)


def optional_from_db(text: str | None) -> datetime | None:
    return None if text is None else from_db(text)
