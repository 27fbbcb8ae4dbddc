"""Typed errors of the WebOps protocol. Each carries a message fit to show a user.

No message ever contains an entry's value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class WebOpsError(Exception):
    """Base of every protocol error; `message` is user-facing."""

    #: A stable name used by the HTTP API (problem type) and tests.
    code = "webops-error"
    #: True when repeating the same request may succeed (the UI and client retry these).
    transient = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(WebOpsError):
    code = "not-found"


class ConflictError(WebOpsError):
    """Someone changed the entry since it was read (or it already exists)."""

    code = "conflict"

    def __init__(
        self, message: str, *, key: str | None = None, current_version: int | None = None
    ) -> None:
        super().__init__(message)
        self.key = key
        self.current_version = current_version


class ValidationError(WebOpsError):
    """Input the rules reject; `findings` are the core's structured findings (no values)."""

    code = "validation"

    def __init__(self, message: str, findings: Sequence[Any] = ()) -> None:
        super().__init__(message)
        self.findings = tuple(findings)


class PermissionDeniedError(WebOpsError):
    code = "permission-denied"


class AuthenticationError(WebOpsError):
    """Missing, wrong or expired credentials (HTTP 401, as opposed to 403)."""

    code = "unauthenticated"


class LimitExceededError(WebOpsError):
    """A request over a size or count limit; the message names the limit."""

    code = "limit-exceeded"


class UnavailableError(WebOpsError):
    """The service could not be reached or is busy; safe to retry."""

    code = "unavailable"
    transient = True


class RetriesExhaustedError(UnavailableError):
    """A transient failure that lasted through every attempt the backend allows itself.

    The backend has already repeated the request as often as its policy allows (or not at all,
    when repeating it was not safe): callers report it instead of retrying it again. `message` is
    what to tell the user (the dashboard's words for a failed save, or `reason` itself); `reason`
    is the technical why, for a details box; `attempts` how many times the request was sent.
    """

    def __init__(self, message: str, reason: str, *, attempts: int) -> None:
        super().__init__(message)
        self.reason = reason
        self.attempts = attempts
