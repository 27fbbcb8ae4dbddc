"""RFC 9457 problem details, mapped one to one to the protocol's typed errors.

The server turns a `WebOpsError` into a problem document; the client turns it back into the same
error class. Problem documents carry the user-facing message as `detail` and never a value.
"""

from __future__ import annotations

from typing import Any

from faststore_desktop.core.validation import Finding
from faststore_desktop.webops.errors import (
    AuthenticationError,
    ConflictError,
    LimitExceededError,
    NotFoundError,
    PermissionDeniedError,
    UnavailableError,
    ValidationError,
    WebOpsError,
)
from faststore_desktop.webops.http.codec import decode, encode

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:faststore-desktop:problem:"

#: Error class -> (HTTP status, title). The order matters: subclasses before their bases.
STATUS_OF: dict[type[WebOpsError], tuple[int, str]] = {
    AuthenticationError: (401, "Not authenticated"),
    PermissionDeniedError: (403, "Permission denied"),
    NotFoundError: (404, "Not found"),
    ConflictError: (409, "Conflict"),
    LimitExceededError: (413, "Over a limit"),
    ValidationError: (422, "Invalid request"),
    UnavailableError: (503, "Unavailable"),
    WebOpsError: (500, "Server error"),
}
_CLASS_OF_CODE: dict[str, type[WebOpsError]] = {cls.code: cls for cls in STATUS_OF}


def status_and_title(error: WebOpsError) -> tuple[int, str]:
    for cls, status_title in STATUS_OF.items():
        if isinstance(error, cls):
            return status_title
    raise AssertionError("WebOpsError is in STATUS_OF")  # pragma: no cover


def to_problem(error: WebOpsError, *, instance: str = "") -> dict[str, Any]:
    status, title = status_and_title(error)
    problem: dict[str, Any] = {
        "type": TYPE_PREFIX + error.code,
        "title": title,
        "status": status,
        "detail": error.message,
    }
    if instance:
        problem["instance"] = instance
    if isinstance(error, ConflictError):
        problem["key"] = error.key
        problem["current_version"] = error.current_version
    if isinstance(error, ValidationError):
        problem["findings"] = [encode(f) for f in error.findings]
    return problem


def from_problem(problem: dict[str, Any], status: int) -> WebOpsError:
    """The typed error a problem document stands for (by its type, else by the HTTP status)."""
    type_uri = str(problem.get("type", ""))
    code = type_uri.removeprefix(TYPE_PREFIX) if type_uri.startswith(TYPE_PREFIX) else ""
    cls = _CLASS_OF_CODE.get(code) or _class_of_status(status)
    message = str(problem.get("detail") or problem.get("title") or f"HTTP {status}")
    if cls is ConflictError:
        version = problem.get("current_version")
        return ConflictError(
            message,
            key=problem.get("key"),
            current_version=version if isinstance(version, int) else None,
        )
    if cls is ValidationError:
        findings = problem.get("findings")
        return ValidationError(message, _findings(findings if isinstance(findings, list) else []))
    return cls(message)


def _findings(raw: list[Any]) -> list[Any]:
    """The core's findings back as `Finding`s; anything else as it came."""
    findings: list[Any] = []
    for item in raw:
        try:
            findings.append(decode(Finding, item, "finding"))
        except ValidationError:
            findings.append(item)
    return findings


def _class_of_status(status: int) -> type[WebOpsError]:
    for cls, (cls_status, _title) in STATUS_OF.items():
        if cls_status == status:
            return cls
    if status == 429:
        return UnavailableError
    return WebOpsError
