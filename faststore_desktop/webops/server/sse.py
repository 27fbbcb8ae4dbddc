"""Server-Sent Events: framing, and keep-alive comments while a source is quiet.

Each event carries an `id` (a log line's offset, a store event's seq) so a client that lost the
connection resumes with `Last-Event-ID` and gets exactly the events after it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any, TypeVar

T = TypeVar("T")

MEDIA_TYPE = "text/event-stream"
KEEPALIVE = b": keep-alive\n\n"


def event(name: str, data: Any, *, event_id: int | None = None) -> bytes:
    lines = [] if event_id is None else [f"id: {event_id}"]
    lines += [f"event: {name}", f"data: {json.dumps(data, separators=(',', ':'))}"]
    return ("\n".join(lines) + "\n\n").encode()


async def with_keepalive(source: AsyncIterator[T], interval: float) -> AsyncIterator[T | None]:
    """Items of `source`, with None whenever `interval` seconds pass without one.

    The pending `__anext__` is kept across the timeout instead of being cancelled, because
    cancelling it would close the source generator.
    """
    pending: asyncio.Task[T] | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(anext(source))
            done, _ = await asyncio.wait({pending}, timeout=interval)
            if not done:
                yield None
                continue
            finished, pending = pending, None
            try:
                item = finished.result()
            except StopAsyncIteration:
                return
            yield item
    finally:
        if pending is not None:
            pending.cancel()
            with suppress(asyncio.CancelledError, StopAsyncIteration):
                await pending


@asynccontextmanager
async def closing(source: AsyncIterator[T]) -> AsyncIterator[AsyncIterator[T]]:
    """Close `source` (an async generator, typically) when the stream ends or is dropped."""
    try:
        yield source
    finally:
        aclose = getattr(source, "aclose", None)
        if aclose is not None:
            await aclose()


def last_event_id(header: str | None) -> int | None:
    if header is None:
        return None
    try:
        return int(header.strip())
    except ValueError:
        return None
