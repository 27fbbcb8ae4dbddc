"""Request limits of the API server. Over a limit, the answer is 413 naming the limit.

The 64 KiB value limit is a rule of the core (`value-too-large`): both implementations reject
it the same way, as a validation error (422) whose finding names the limit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from faststore_desktop.core.changeset import Operation
from faststore_desktop.webops.errors import LimitExceededError, ValidationError

KIB = 1024


@dataclass(frozen=True, slots=True)
class Limits:
    max_body_bytes: int = 8 * KIB * KIB
    max_changeset_entries: int = 5000

    async def read_json(self, request: Request) -> Any:
        """The request body as JSON, refusing it as soon as it passes the body limit."""
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            raise self._body_too_large()
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > self.max_body_bytes:
                raise self._body_too_large()
        try:
            return json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ValidationError("The request body is not valid JSON.") from None

    def check_operations(self, operations: tuple[Operation, ...]) -> None:
        if len(operations) > self.max_changeset_entries:
            raise LimitExceededError(
                f"The change set has {len(operations)} entries, over the limit of "
                f"{self.max_changeset_entries} entries per change set."
            )

    def _body_too_large(self) -> LimitExceededError:
        return LimitExceededError(
            f"The request body is over the body size limit ({self.max_body_bytes} bytes)."
        )
