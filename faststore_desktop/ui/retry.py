"""Quiet retries of transient failures (the service busy or briefly unreachable), and the words
for a failure that outlasted them."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication

from faststore_desktop.webops.errors import RetriesExhaustedError, WebOpsError

T = TypeVar("T")

ATTEMPTS = 4
FIRST_DELAY_S = 0.2


async def retry_transient(
    call: Callable[[], Awaitable[T]],
    *,
    attempts: int = ATTEMPTS,
    first_delay: float = FIRST_DELAY_S,
) -> T:
    """Await `call()`, repeating it after a growing, jittered pause while it fails transiently.

    A `RetriesExhaustedError` is not repeated: the backend (the HTTP client) already sent the
    request as often as its policy allows, and repeating it here would multiply the attempts.
    Only safe for calls that are reads or carry an idempotency key: a retry must not apply twice.
    """
    delay = first_delay
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except WebOpsError as error:
            if not error.transient or isinstance(error, RetriesExhaustedError):
                raise
            if attempt == attempts:
                raise
        await asyncio.sleep(delay * (1 + random.random() / 2))  # noqa: S311 - jitter, not crypto
        delay *= 2
    raise AssertionError("unreachable")  # pragma: no cover


def reason_of(error: WebOpsError) -> str:
    """Why `error` happened, for a details box: a request the backend gave up on says its
    technical reason (the server's answer, an unreachable address) and how often it was sent."""
    if not isinstance(error, RetriesExhaustedError):
        return error.message
    if error.attempts < 2:
        return error.reason
    sent = QCoreApplication.translate("Failures", "The request was sent {count} times.")
    return f"{error.reason} {sent.format(count=error.attempts)}"


def failure_text(error: WebOpsError) -> tuple[str, str]:
    """(what to tell the user, the details under it; "" when they would only repeat it)."""
    details = reason_of(error)
    return error.message, "" if details == error.message else details
