"""Wakes the watchers of a store (event feed, log followers) when something changed."""

from __future__ import annotations

import asyncio
import contextlib


class Notifier:
    """One wake-up per change; a waiter re-reads the state it cares about when woken."""

    def __init__(self) -> None:
        self._events: dict[str, asyncio.Event] = {}

    def notify(self, topic: str) -> None:
        event = self._events.pop(topic, None)
        if event is not None:
            event.set()

    async def wait(self, topic: str, poll_seconds: float) -> None:
        """Return on the next notify of `topic`, or after `poll_seconds` (to poll anyway)."""
        event = self._events.setdefault(topic, asyncio.Event())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), poll_seconds)
