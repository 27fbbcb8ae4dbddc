"""Dates as the user's locale writes them."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale


def format_when(when: datetime, *, long: bool = False) -> str:
    """`when` in local time; a naive datetime is taken as already local."""
    moment = QDateTime.fromMSecsSinceEpoch(round(when.timestamp() * 1000))
    kind = QLocale.FormatType.LongFormat if long else QLocale.FormatType.ShortFormat
    return QLocale().toString(moment, kind)
