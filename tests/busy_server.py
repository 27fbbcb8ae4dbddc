"""A real HTTP server on a loopback port that answers every request with one status (503 by
default): what a WebOps API server behind a proxy looks like while its backend is down.

It counts the requests it received, so tests can check how often a client sent one.
Importable from every test directory (tests/ is on sys.path).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

_REASONS = {401: "Unauthorized", 403: "Forbidden", 502: "Bad Gateway", 503: "Service Unavailable"}


@dataclass
class BusyServer:
    status: int = 503
    #: The request lines received ("POST /api/v1/stores/s/entries"), in order.
    requests: list[str] = field(default_factory=list)
    port: int = 0
    writers: list[asyncio.StreamWriter] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.append(writer)
        try:
            while request_line := (await reader.readline()).decode().strip():
                length = 0
                while header := (await reader.readline()).decode().strip():
                    name, _, value = header.partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                await reader.readexactly(length)
                self.requests.append(request_line.rsplit(" ", 1)[0])
                body = b"The upstream is down."
                reason = _REASONS.get(self.status, "Error")
                writer.write(
                    f"HTTP/1.1 {self.status} {reason}\r\nContent-Type: text/plain\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()


@asynccontextmanager
async def busy_server(status: int = 503) -> AsyncIterator[BusyServer]:
    busy = BusyServer(status)
    server = await asyncio.start_server(busy.handle, "127.0.0.1", 0)
    busy.port = server.sockets[0].getsockname()[1]
    try:
        yield busy
    finally:
        server.close()
        for writer in busy.writers:  # kept-alive connections of the client
            writer.close()
        await server.wait_closed()
