"""Access log: one line per request with an id, the method, the path, the status and the time.

Never a body, a query string, a header value or a token: the path holds only ids and entry keys.
The request id is also sent back in `X-Request-ID` and used as the problem `instance`.
"""

from __future__ import annotations

import logging
import time
import traceback
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("faststore_desktop.server.access")
error_logger = logging.getLogger("faststore_desktop.server")
REQUEST_ID_HEADER = b"x-request-id"


def request_id_of(scope: Scope) -> str:
    return str(scope.get("state", {}).get("request_id", ""))


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [*message.get("headers", []), (REQUEST_ID_HEADER, request_id.encode())]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            logger.info(
                "%s %s %s %d %.1fms",
                request_id,
                scope["method"],
                _logged_path(scope),
                status,
                (time.perf_counter() - started) * 1000,
            )


def _logged_path(scope: Scope) -> str:
    """The path as sent, still percent-encoded: a decoded one could put spaces or line breaks
    into the log line."""
    raw = scope.get("raw_path")
    if isinstance(raw, bytes):
        return raw.decode("ascii", "backslashreplace")
    return str(scope["path"]).encode("unicode_escape").decode("ascii")


def log_unexpected(error: BaseException, scope: Scope) -> None:
    """Log a failure the server did not expect: its type and frames, never its message (which
    could quote request data)."""
    error_logger.error(
        "%s %s %s failed with %s\n%s",
        request_id_of(scope),
        scope.get("method", ""),
        _logged_path(scope),
        type(error).__name__,
        "".join(traceback.format_tb(error.__traceback__)),
    )
