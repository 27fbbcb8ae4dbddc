"""The ASGI application: authentication, roles, problem details and routing over a backend."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Protocol

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from faststore_desktop import __version__
from faststore_desktop.webops.errors import (
    AuthenticationError,
    PermissionDeniedError,
    WebOpsError,
)
from faststore_desktop.webops.http import problems
from faststore_desktop.webops.http.bodies import API_PREFIX, HEALTH_PATH, SERVICE_NAME, Health
from faststore_desktop.webops.protocol import WebOps
from faststore_desktop.webops.server.access_log import (
    AccessLogMiddleware,
    log_unexpected,
    request_id_of,
)
from faststore_desktop.webops.server.api import OPERATIONS, Call, Operation, json_response
from faststore_desktop.webops.server.limits import Limits
from faststore_desktop.webops.server.openapi import openapi_document
from faststore_desktop.webops.server.throttle import AuthThrottle
from faststore_desktop.webops.server.tokens import Principal, TokenStore


class ActorBackend(Protocol):
    """The engine behind the API: a WebOps view acting as a given actor, and a way to close."""

    def as_actor(self, actor: str) -> WebOps: ...

    async def close(self) -> None: ...


@dataclass
class ServerState:
    open_backend: Callable[[], Awaitable[ActorBackend]]
    tokens: TokenStore
    limits: Limits = field(default_factory=Limits)
    throttle: AuthThrottle = field(default_factory=AuthThrottle)
    #: Seconds between SSE keep-alive comments on a quiet stream.
    keepalive: float = 15.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    backend: ActorBackend | None = None


def create_app(state: ServerState) -> Starlette:
    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if state.backend is None:  # `serve` opens it before listening, to refuse cleanly
            state.backend = await state.open_backend()
        try:
            yield
        finally:
            await state.backend.close()
            state.backend = None

    routes = [
        Route(API_PREFIX + op.path, _endpoint(op, state), methods=[op.method]) for op in OPERATIONS
    ]
    routes += [
        Route(HEALTH_PATH, _healthz, methods=["GET"]),
        Route(API_PREFIX + "/openapi.json", _openapi, methods=["GET"]),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(AccessLogMiddleware)],
        exception_handlers={HTTPException: _http_exception},
        lifespan=lifespan,
    )


def problem_response(
    error: WebOpsError | None,
    request: Request,
    *,
    status: int = 0,
    detail: str = "",
    code: str = "",
) -> Response:
    """A problem document for a typed error, or for a plain HTTP failure (status/detail/code)."""
    instance = f"urn:request:{request_id_of(request.scope)}"
    if error is not None:
        body = problems.to_problem(error, instance=instance)
    else:
        body = {
            "type": problems.TYPE_PREFIX + code,
            "title": detail,
            "status": status,
            "detail": detail,
            "instance": instance,
        }
    headers = {"WWW-Authenticate": 'Bearer realm="webops"'} if body["status"] == 401 else {}
    return JSONResponse(
        body, status_code=body["status"], headers=headers, media_type=problems.MEDIA_TYPE
    )


def _endpoint(op: Operation, state: ServerState) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            principal = await _authenticate(request, state)
            if principal is None:
                return _too_many_attempts(request, state)
            if principal.role < op.role:
                raise PermissionDeniedError(
                    f"The token {principal.name!r} has the {principal.role.label} role; "
                    f"to {op.summary[0].lower()}{op.summary[1:]} it needs {op.role.label}."
                )
            assert state.backend is not None
            call = Call(
                request,
                state.backend.as_actor(principal.name),
                principal,
                state.limits,
                state.keepalive,
                op.required_headers,
            )
            return await op.handler(call)
        except WebOpsError as error:
            return problem_response(error, request)
        except Exception as error:
            log_unexpected(error, request.scope)
            return problem_response(
                None,
                request,
                status=500,
                code="internal",
                detail="The server failed to handle this request.",
            )

    return endpoint


async def _authenticate(request: Request, state: ServerState) -> Principal | None:
    """The caller, or None when its address is locked out for too many failures."""
    address = request.client.host if request.client else "unknown"
    if state.throttle.retry_after(address) > 0:
        return None
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    try:
        if not header:
            raise AuthenticationError(
                "This request needs an 'Authorization: Bearer <token>' header."
            )
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError(
                "Only bearer tokens are accepted: 'Authorization: Bearer <token>'."
            )
        # A SQLite read of the token file: off the event loop, which serves every request.
        principal = await asyncio.to_thread(state.tokens.authenticate, token.strip())
    except AuthenticationError:
        await state.sleep(state.throttle.failed(address))
        raise
    state.throttle.succeeded(address)
    return principal


def _too_many_attempts(request: Request, state: ServerState) -> Response:
    address = request.client.host if request.client else "unknown"
    wait = max(1, int(state.throttle.retry_after(address)))
    response = problem_response(
        None,
        request,
        status=429,
        code="too-many-attempts",
        detail=f"Too many failed authentication attempts; try again in {wait} seconds.",
    )
    response.headers["Retry-After"] = str(wait)
    return response


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    codes = {404: "no-route", 405: "method-not-allowed"}
    response = problem_response(
        None,
        request,
        status=exc.status_code,
        code=codes.get(exc.status_code, "http"),
        detail=str(exc.detail),
    )
    response.headers.update(exc.headers or {})  # e.g. Allow on a 405
    return response


async def _healthz(_request: Request) -> Response:
    return json_response(Health("ok", SERVICE_NAME, "v1", __version__, idempotent_mutations=True))


async def _openapi(_request: Request) -> Response:
    return JSONResponse(openapi_document())
