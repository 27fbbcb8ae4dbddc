"""Quiet retries of transient failures (the service busy or briefly unreachable)."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from faststore_desktop.webops.errors import WebOpsError

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

    Only safe for calls that are reads or carry an idempotency key: a retry must not apply twice.
    """
    delay = first_delay
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except WebOpsError as error:
            if not error.transient or attempt == attempts:
                raise
        await asyncio.sleep(delay * (1 + random.random() / 2))  # noqa: S311 - jitter, not crypto
        delay *= 2
    raise AssertionError("unreachable")  # pragma: no cover
