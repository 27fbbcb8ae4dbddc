"""When and how long the client waits before repeating a request.

Exponential backoff with full jitter (a random wait between 0 and the growing cap), so many
clients that failed together do not come back together; a server's `Retry-After` wins.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from faststore_desktop.core.backoff import backoff

#: Statuses that mean "the request was not handled; the same request may succeed later".
RETRY_STATUSES = frozenset({429, 502, 503, 504})
#: Of those, the ones that say the server did not start on the request (safe for any request).
NOT_PROCESSED_STATUSES = frozenset({429, 503})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    base_delay: float = 0.2
    max_delay: float = 5.0
    #: The longest `Retry-After` honoured; a longer one fails now instead of freezing the UI.
    max_retry_after: float = 30.0
    rng: random.Random = field(default_factory=random.Random, compare=False)

    def backoff(self, attempt: int) -> float:
        """The wait before attempt `attempt + 1` (attempt counts from 1)."""
        return backoff(attempt, first=self.base_delay, cap=self.max_delay, rng=self.rng)

    def delay_for(self, attempt: int, response: httpx.Response | None) -> float | None:
        """The wait before the next attempt, or None when the server asks for too long."""
        retry_after = None if response is None else parse_retry_after(response)
        if retry_after is None:
            return self.backoff(attempt)
        return retry_after if retry_after <= self.max_retry_after else None


def parse_retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000" or no zone at all: HTTP dates are in GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def safe_to_retry_after_send(error: httpx.TransportError) -> bool:
    """True when the request surely never reached the server (no risk of doing it twice)."""
    return isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
