"""The WebOps API on the wire: the JSON codec, problem details, and the httpx client."""

from faststore_desktop.webops.http.check import (
    ConnectionProblem,
    ConnectionReport,
    check_connection,
)

__all__ = ["ConnectionProblem", "ConnectionReport", "check_connection"]
