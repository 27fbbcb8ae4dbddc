"""How long the client waits for a server's Retry-After, however the date is written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from faststore_desktop.webops.http.retry import parse_retry_after


def _answer(retry_after: str) -> httpx.Response:
    return httpx.Response(503, headers={"Retry-After": retry_after})


def test_seconds_are_taken_as_they_are() -> None:
    assert parse_retry_after(_answer(" 7 ")) == 7.0


@pytest.mark.parametrize("zone", ["GMT", "-0000", ""])
def test_an_http_date_is_read_in_gmt_whatever_its_zone_says(zone: str) -> None:
    when = datetime.now(UTC) + timedelta(seconds=120)
    text = f"{format_datetime(when, usegmt=True).removesuffix(' GMT')} {zone}".strip()

    wait = parse_retry_after(_answer(text))

    assert wait is not None
    assert 100 < wait <= 120


def test_a_date_in_the_past_means_now_and_nonsense_means_unknown() -> None:
    assert parse_retry_after(_answer("Wed, 21 Oct 2015 07:28:00 GMT")) == 0.0
    assert parse_retry_after(_answer("soon")) is None
    assert parse_retry_after(httpx.Response(503)) is None
