"""Times and durations as the deployment tables show them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QLocale, QTimeZone

#: Where "now" comes from; models take one so tests can pin the time.
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Backends may hand naive datetimes; they are UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def elapsed_seconds(
    started: datetime | None, finished: datetime | None, clock: Clock = utc_now
) -> float | None:
    """Seconds from start to finish, or to now while running; None before it starts."""
    if started is None:
        return None
    end = as_utc(finished) if finished is not None else clock()
    return max(0.0, (end - as_utc(started)).total_seconds())


def format_duration(seconds: float | None) -> str:
    """'8s', '2m 05s', '1h 02m'; an em dash when there is nothing to measure."""
    if seconds is None:
        return "—"
    whole = int(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def format_moment(moment: datetime) -> str:
    """A local date and time in the user's locale, short form."""
    local = QDateTime.fromSecsSinceEpoch(
        int(as_utc(moment).timestamp()), QTimeZone.systemTimeZone()
    )
    return QLocale().toString(local, QLocale.FormatType.ShortFormat)


def format_moment_long(moment: datetime) -> str:
    """The full local date and time, for tooltips."""
    local = QDateTime.fromSecsSinceEpoch(
        int(as_utc(moment).timestamp()), QTimeZone.systemTimeZone()
    )
    return QLocale().toString(local, QLocale.FormatType.LongFormat)
