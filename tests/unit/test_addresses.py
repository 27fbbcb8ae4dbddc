"""A bearer token goes over HTTPS, or over plain HTTP to this computer only: the connection test
and the HTTP client refuse http:// to another host before anything is sent."""

from __future__ import annotations

import httpx
import pytest

from faststore_desktop.webops.addresses import (
    InsecureAddressError,
    insecure_reason,
    is_loopback,
)
from faststore_desktop.webops.http import ConnectionProblem, check_connection
from faststore_desktop.webops.http.client import HttpWebOps

TOKEN = "fsd_0123456789abcdef_secret-token-value"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8787",
        "http://127.8.9.10:8787/",
        "http://localhost:8787",
        "HTTP://LocalHost:8787",
        "http://[::1]:8787",
        "http://[::ffff:127.0.0.1]:8787",
        "https://webops.example.com",
        "https://192.168.1.10:8787",
        "  https://webops.example.com/  ",
    ],
)
def test_https_anywhere_and_http_to_this_computer_are_accepted(url: str) -> None:
    assert insecure_reason(url) == ""


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("http://webops.example.com", "webops.example.com"),
        ("http://192.168.1.10:8787", "192.168.1.10"),
        ("http://[::ffff:10.0.0.1]:8787", "::ffff:10.0.0.1"),
        ("http://localhost.example.com", "localhost.example.com"),
        ("http://127.0.0.1@webops.example.com", "webops.example.com"),  # credentials, then host
        ("http://webops.example.com#@127.0.0.1", "webops.example.com"),
        ("http://[::1", "the server"),  # malformed: not known to be this computer
    ],
)
def test_http_to_another_host_is_refused_with_a_reason_naming_https(url: str, named: str) -> None:
    reason = insecure_reason(url)

    assert f"unencrypted to {named}:" in reason
    assert "use https://" in reason


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("127.0.0.1", True),
        ("127.255.255.254", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("::", False),
        ("128.0.0.1", False),
        ("example.com", False),
        ("", False),
    ],
)
def test_which_hosts_are_this_computer(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.asyncio
async def test_the_connection_test_refuses_http_to_another_host_before_sending() -> None:
    sent: list[httpx.Request] = []
    client = httpx.AsyncClient(
        transport=httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200))
    )
    try:
        report = await check_connection("http://webops.example.com:8787/", TOKEN, client=client)
    finally:
        await client.aclose()

    assert not report.ok
    assert report.problem is ConnectionProblem.INSECURE
    assert "use https://" in report.message
    assert sent == []


def test_the_client_refuses_http_to_another_host_and_never_shows_the_token() -> None:
    with pytest.raises(InsecureAddressError) as caught:
        HttpWebOps("http://webops.example.com", TOKEN)

    assert "use https://" in caught.value.message
    assert TOKEN not in str(caught.value) + repr(caught.value)


@pytest.mark.asyncio
async def test_the_client_accepts_http_on_this_computer() -> None:
    webops = HttpWebOps("http://127.0.0.1:8787", TOKEN)
    await webops.close()
