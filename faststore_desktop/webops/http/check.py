"""The connection test behind the app's "Test" button: is this a WebOps server that accepts this
token, and if not, why — in words a user can act on."""

from __future__ import annotations

import enum
import ssl
from dataclasses import dataclass

import httpx

from faststore_desktop.webops.addresses import insecure_reason
from faststore_desktop.webops.http.bodies import API_PREFIX, SERVICE_NAME
from faststore_desktop.webops.http.client import error_of

CHECK_TIMEOUT = httpx.Timeout(5.0)
#: The roles `GET /whoami` answers (the server's `tokens.Role` labels), each including the ones
#: before it: a viewer reads; an editor also changes entries and deploys; an admin also
#: creates and configures stores.
VIEW_ONLY_ROLE = "viewer"
EDIT_ROLES = frozenset({"editor", "admin"})


class ConnectionProblem(enum.StrEnum):
    UNREACHABLE = "unreachable"
    TLS = "tls"
    #: Plain http:// to another computer: refused before anything is sent.
    INSECURE = "insecure"
    NOT_WEBOPS = "not-webops"
    BAD_TOKEN = "bad-token"
    NO_PERMISSION = "no-permission"
    #: Connected with a role this version of the app does not know (a newer server): what it
    #: may change is not known, so it is a warning, not a plain success.
    UNKNOWN_ROLE = "unknown-role"


@dataclass(frozen=True, slots=True)
class ConnectionReport:
    """`ok` when the app can connect with the token. `problem` says why not or, next to `ok`,
    what to beware of: NO_PERMISSION for a token that may not change anything (a viewer),
    UNKNOWN_ROLE for a role this app does not know."""

    ok: bool
    message: str
    problem: ConnectionProblem | None = None
    #: The token's name and role on the server, when it was accepted.
    user: str = ""
    role: str = ""
    server_version: str = ""


async def check_connection(
    base_url: str, token: str, *, client: httpx.AsyncClient | None = None
) -> ConnectionReport:
    base_url = base_url.rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        return _fail(ConnectionProblem.UNREACHABLE, "The address must start with https://.")
    if reason := insecure_reason(base_url):
        return _fail(ConnectionProblem.INSECURE, reason)
    owned = client is None
    http = client or httpx.AsyncClient(timeout=CHECK_TIMEOUT)
    try:
        return await _check(http, base_url, token)
    finally:
        if owned:
            await http.aclose()


async def _check(http: httpx.AsyncClient, base_url: str, token: str) -> ConnectionReport:
    try:
        health = await http.get(base_url + "/healthz")
    except httpx.TransportError as error:
        return _transport_failure(error, base_url)
    try:
        body = health.json()
    except ValueError:
        body = None
    if (
        health.status_code != 200
        or not isinstance(body, dict)
        or body.get("service") != SERVICE_NAME
    ):
        return _fail(
            ConnectionProblem.NOT_WEBOPS,
            f"{base_url} answers, but it is not a WebOps server (HTTP {health.status_code}). "
            "Check the address and port.",
        )
    version = str(body.get("version", ""))
    headers = {"Authorization": f"Bearer {token}"}
    try:
        who = await http.get(base_url + API_PREFIX + "/whoami", headers=headers)
        if who.status_code == 200:
            stores = await http.get(base_url + API_PREFIX + "/stores", headers=headers)
        else:
            stores = who
    except httpx.TransportError as error:
        return _transport_failure(error, base_url)
    if who.status_code == 401:
        return _fail(
            ConnectionProblem.BAD_TOKEN,
            f"The server refused the token: {error_of(who).message} "
            "Ask the server's admin for a new one (`faststore-desktop token create`).",
        )
    if stores.status_code == 403:
        return _fail(
            ConnectionProblem.NO_PERMISSION,
            f"The token works but may not read this server's stores: {error_of(stores).message}",
        )
    if who.status_code != 200 or stores.status_code != 200:
        failed = who if who.status_code != 200 else stores
        return _fail(ConnectionProblem.NOT_WEBOPS, error_of(failed).message)
    me = who.json()
    user, role = str(me.get("name", "")), str(me.get("role", ""))
    connected = f"Connected to WebOps {version} as {user} ({role})"
    problem: ConnectionProblem | None = None
    if role == VIEW_ONLY_ROLE:
        message = (
            f"{connected} — this token can only view; ask an admin for an editor token to "
            "change variables."
        )
        problem = ConnectionProblem.NO_PERMISSION
    elif role in EDIT_ROLES:
        message = f"{connected}."
    else:  # a server newer than the app: say so rather than promise what the role may do
        message = (
            f"{connected} — this version of the app does not know the role {role!r}; changes "
            "the server does not allow will be refused."
        )
        problem = ConnectionProblem.UNKNOWN_ROLE
    return ConnectionReport(True, message, problem, user=user, role=role, server_version=version)


def _transport_failure(error: httpx.TransportError, base_url: str) -> ConnectionReport:
    tls = _ssl_error(error)
    if tls is not None:
        if isinstance(tls, ssl.SSLCertVerificationError):
            detail = f"its certificate is not trusted ({tls.verify_message})"
        elif "WRONG_VERSION_NUMBER" in str(tls) or "wrong version number" in str(tls):
            detail = "it does not speak TLS at this address (try http://, or the right port)"
        else:
            detail = f"the TLS handshake failed ({type(tls).__name__})"
        return _fail(ConnectionProblem.TLS, f"A secure connection to {base_url} failed: {detail}.")
    if isinstance(error, httpx.RemoteProtocolError):
        return _fail(
            ConnectionProblem.NOT_WEBOPS,
            f"{base_url} does not answer like a web server; if it uses TLS, try https://.",
        )
    if isinstance(error, httpx.TimeoutException):
        words = "did not answer in time"
    else:
        words = "cannot be reached: check the address, the port and that the server is running"
    return _fail(ConnectionProblem.UNREACHABLE, f"{base_url} {words}.")


def _ssl_error(error: BaseException) -> ssl.SSLError | None:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _fail(problem: ConnectionProblem, message: str) -> ConnectionReport:
    return ConnectionReport(False, message, problem)
