"""Where a bearer token may travel: over HTTPS anywhere, over plain HTTP only to this computer.

A token sent over http:// crosses the network in clear, readable (and reusable) by anyone on the
path. The connection test, the HTTP client and the connection dialog all ask `insecure_reason`,
so they refuse the same addresses with the same words. The server's own address check uses
`is_loopback` too. No httpx here: the dialog checks what is typed without loading it.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from faststore_desktop.webops.errors import WebOpsError


class InsecureAddressError(WebOpsError):
    """An http:// address of another computer: the token would be sent in clear."""

    code = "insecure-address"


def is_loopback(host: str) -> bool:
    """True for this computer: `localhost`, 127.0.0.0/8 and ::1 (also written ::ffff:127.x)."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def insecure_reason(url: str) -> str:
    """Why a token must not be sent to `url` ("" when it may): plain http:// to another host."""
    text = url.strip()
    if not text.lower().startswith("http://"):
        return ""
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:  # a malformed bracketed host: not known to be this computer
        host = ""
    if is_loopback(host):
        return ""
    shown = host or "the server"
    return (
        f"http:// would send the token unencrypted to {shown}: use https:// for a server on "
        "another computer (http:// is only accepted for this computer: localhost, 127.0.0.1 "
        "or ::1)."
    )


def require_secure(url: str) -> None:
    """Raise `InsecureAddressError` when `insecure_reason(url)` is not empty."""
    reason = insecure_reason(url)
    if reason:
        raise InsecureAddressError(reason)
