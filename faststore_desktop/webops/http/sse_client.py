"""Reading Server-Sent Events from an httpx response, line by line."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ServerEvent:
    event: str
    data: str
    id: str | None


async def parse_events(lines: AsyncIterator[str]) -> AsyncGenerator[ServerEvent, None]:
    """Events of an SSE stream (comments and keep-alives skipped), per the HTML spec's rules."""
    event, event_id = "message", None
    data: list[str] = []
    async for line in lines:
        if not line:
            if data:
                yield ServerEvent(event, "\n".join(data), event_id)
            event, data = "message", []
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            event = value
        elif name == "data":
            data.append(value)
        elif name == "id":
            event_id = value
