"""`HttpWebOps`: the WebOps protocol over the WebOps API, with one shared httpx client.

Every mutation carries an Idempotency-Key (the caller's, or a fresh one reused by all retries of
that call), so the client may repeat it after a dropped connection without applying it twice.
Entries and change sets have always honoured the key; a server older than `idempotent_mutations`
in its `/healthz` ignores it when creating or configuring a store and rerunning or cancelling a
deployment, so against such a server those are repeated only when they surely never reached it.
A failure that outlasts the retries of a create/update/delete says what the dashboard says
(`Failed to create secret. Please, try again.`) and keeps the technical reason apart.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import aclosing, asynccontextmanager, suppress
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from faststore_desktop.core.changeset import ChangeSet
from faststore_desktop.core.entries import Entry, EntryType
from faststore_desktop.webops.addresses import require_secure
from faststore_desktop.webops.errors import RetriesExhaustedError, UnavailableError, WebOpsError
from faststore_desktop.webops.http import problems
from faststore_desktop.webops.http.bodies import (
    API_PREFIX,
    HEALTH_PATH,
    ChangeSetBody,
    CreateEntryBody,
    DeploymentBody,
    RollbackBody,
    UpdateEntryBody,
)
from faststore_desktop.webops.http.codec import decode, encode
from faststore_desktop.webops.http.retry import (
    NOT_PROCESSED_STATUSES,
    RETRY_STATUSES,
    RetryPolicy,
    safe_to_retry_after_send,
)
from faststore_desktop.webops.http.sse_client import ServerEvent, parse_events
from faststore_desktop.webops.models import (
    ApplyResult,
    AuditRecord,
    Deployment,
    DeploymentPage,
    DeploymentQuery,
    EntryStatus,
    EntryVersion,
    LogLine,
    Store,
    StoreConfig,
    StoreEvent,
)

T = TypeVar("T")

#: Explicit timeouts: connecting fails fast; a read waits for a slow apply of a large set.
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=10.0)
#: A stream is quiet between events; the server sends a keep-alive every 15 s.
STREAM_TIMEOUT = httpx.Timeout(connect=5.0, read=45.0, write=30.0, pool=10.0)


class _End:
    """Marks the end of a stream in the queue between its reader task and its consumer."""


_END = _End()


@dataclass
class _StreamState:
    """A followed stream: what it is, the last event id delivered, and how it ended."""

    path: str
    params: dict[str, int]
    #: True for a stream that ends with an `end` event (a log); False for one that never ends.
    ends: bool
    last_id: int | None = None
    received: int = 0
    ended: bool = False
    failure: WebOpsError | None = None

    def seen(self, event_id: int | None) -> bool:
        """True for an event delivered before a reconnect."""
        return event_id is not None and self.last_id is not None and event_id <= self.last_id


def failure_message(action: str) -> str:
    """The dashboard's words for a failed create/update/delete."""
    return f"Failed to {action} secret. Please, try again."


class HttpWebOps:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        client: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        require_secure(base_url)  # before the token is kept anywhere
        self.base_url = base_url.rstrip("/")
        self._api = self.base_url + API_PREFIX
        self._headers = {"Authorization": f"Bearer {token}"}
        self._client = client or httpx.AsyncClient(timeout=DEFAULT_TIMEOUT)
        self._owns_client = client is None
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        #: Whether the server honours Idempotency-Key for every mutation; None until it said.
        self._idempotent_mutations: bool | None = None

    def __repr__(self) -> str:  # the token stays out of reprs
        return f"HttpWebOps({self.base_url!r})"

    async def close(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def idempotent_mutations(self) -> bool:
        """True when the server says (`idempotent_mutations` in its `/healthz`) that it honours
        Idempotency-Key for every mutation. Asked once; the answer is kept. A server that cannot
        be asked now counts as one that does not (and is asked again next time)."""
        if self._idempotent_mutations is None:
            try:
                response = await self._client.get(self.base_url + HEALTH_PATH)
                body = response.json() if response.status_code == 200 else None
            except (httpx.TransportError, json.JSONDecodeError, UnicodeDecodeError):
                return False
            if not isinstance(body, dict):
                return False
            self._idempotent_mutations = body.get("idempotent_mutations") is True
        return self._idempotent_mutations

    # -- stores -----------------------------------------------------------------------------
    async def list_stores(self) -> Sequence[Store]:
        return await self._get(list[Store], "/stores")

    async def get_store(self, store_id: str) -> Store:
        return await self._get(Store, f"/stores/{_seg(store_id)}")

    async def create_store(
        self, config: StoreConfig, *, idempotency_key: str | None = None
    ) -> Store:
        response = await self._send(
            "POST",
            "/stores",
            body=config,
            idempotency_key=idempotency_key,
            older_servers_ignore_key=True,
        )
        return decode(Store, response.json(), "response")

    async def configure_store(
        self, store_id: str, config: StoreConfig, *, idempotency_key: str | None = None
    ) -> Store:
        response = await self._send(
            "PUT",
            f"/stores/{_seg(store_id)}",
            body=config,
            idempotency_key=idempotency_key,
            older_servers_ignore_key=True,
        )
        return decode(Store, response.json(), "response")

    # -- entries ----------------------------------------------------------------------------
    async def list_entries(self, store_id: str) -> Sequence[Entry]:
        return await self._get(list[Entry], f"/stores/{_seg(store_id)}/entries")

    async def get_entry(self, store_id: str, key: str) -> Entry:
        return await self._get(Entry, _entry_path(store_id, key))

    async def create_entry(
        self,
        store_id: str,
        key: str,
        type: EntryType,
        value: str,
        *,
        idempotency_key: str | None = None,
    ) -> Entry:
        response = await self._send(
            "POST",
            f"/stores/{_seg(store_id)}/entries",
            body=CreateEntryBody(key, type, value),
            idempotency_key=idempotency_key,
            failure=failure_message("create"),
        )
        return decode(Entry, response.json(), "response")

    async def update_entry(
        self,
        store_id: str,
        key: str,
        value: str,
        *,
        expected_version: int,
        type: EntryType | None = None,
        idempotency_key: str | None = None,
    ) -> Entry:
        response = await self._send(
            "PUT",
            _entry_path(store_id, key),
            body=UpdateEntryBody(value, type, expected_version),
            idempotency_key=idempotency_key,
            failure=failure_message("update"),
        )
        return decode(Entry, response.json(), "response")

    async def delete_entry(
        self,
        store_id: str,
        key: str,
        *,
        expected_version: int,
        idempotency_key: str | None = None,
    ) -> None:
        await self._send(
            "DELETE",
            _entry_path(store_id, key),
            headers={"If-Match": f'"{expected_version}"'},
            idempotency_key=idempotency_key,
            failure=failure_message("delete"),
        )

    async def apply(
        self, store_id: str, changes: ChangeSet, *, idempotency_key: str
    ) -> ApplyResult:
        response = await self._send(
            "POST",
            f"/stores/{_seg(store_id)}/changesets",
            body=ChangeSetBody(changes.operations),
            idempotency_key=idempotency_key,
            failure="Failed to save the changes. Please, try again.",
        )
        return decode(ApplyResult, response.json(), "response")

    async def status(self, store_id: str) -> EntryStatus:
        return await self._get(EntryStatus, f"/stores/{_seg(store_id)}/status")

    async def entry_history(self, store_id: str, key: str) -> Sequence[EntryVersion]:
        return await self._get(list[EntryVersion], _entry_path(store_id, key) + "/history")

    async def rollback_entry(
        self,
        store_id: str,
        key: str,
        version: int,
        *,
        expected_version: int | None,
        idempotency_key: str | None = None,
    ) -> Entry:
        response = await self._send(
            "POST",
            _entry_path(store_id, key) + "/rollback",
            body=RollbackBody(version, expected_version),
            idempotency_key=idempotency_key,
            failure=failure_message("update"),
        )
        return decode(Entry, response.json(), "response")

    async def audit_trail(
        self, store_id: str, *, offset: int = 0, limit: int = 200
    ) -> Sequence[AuditRecord]:
        params = {"offset": offset, "limit": limit}
        return await self._get(list[AuditRecord], f"/stores/{_seg(store_id)}/audit", params)

    # -- deployments ------------------------------------------------------------------------
    async def list_deployments(self, store_id: str, query: DeploymentQuery) -> DeploymentPage:
        params = {k: v for k, v in encode(query).items() if v not in (None, "")}
        path = f"/stores/{_seg(store_id)}/deployments"
        return await self._get(DeploymentPage, path, params)

    async def get_deployment(self, store_id: str, deployment_id: str) -> Deployment:
        return await self._get(Deployment, _deployment_path(store_id, deployment_id))

    async def create_deployment(
        self, store_id: str, reason: str, *, idempotency_key: str | None = None
    ) -> Deployment:
        response = await self._send(
            "POST",
            f"/stores/{_seg(store_id)}/deployments",
            body=DeploymentBody(reason),
            idempotency_key=idempotency_key,
        )
        return decode(Deployment, response.json(), "response")

    async def rerun_deployment(
        self, store_id: str, deployment_id: str, *, idempotency_key: str | None = None
    ) -> Deployment:
        path = _deployment_path(store_id, deployment_id) + "/rerun"
        response = await self._send(
            "POST", path, idempotency_key=idempotency_key, older_servers_ignore_key=True
        )
        return decode(Deployment, response.json(), "response")

    async def cancel_deployment(
        self, store_id: str, deployment_id: str, *, idempotency_key: str | None = None
    ) -> Deployment:
        path = _deployment_path(store_id, deployment_id) + "/cancel"
        response = await self._send(
            "POST", path, idempotency_key=idempotency_key, older_servers_ignore_key=True
        )
        return decode(Deployment, response.json(), "response")

    def follow_log(
        self, store_id: str, deployment_id: str, step: str, *, offset: int = 0
    ) -> AsyncIterator[LogLine]:
        path = _deployment_path(store_id, deployment_id) + f"/steps/{_seg(step)}/log"
        return self._follow(path, {"offset": offset}, LogLine, ends=True)

    def watch(self, store_id: str, *, after: int = 0) -> AsyncIterator[StoreEvent]:
        path = f"/stores/{_seg(store_id)}/events"
        return self._follow(path, {"after": after}, StoreEvent, ends=False)

    # -- the wire ---------------------------------------------------------------------------
    async def _get(self, tp: type[T], path: str, params: dict[str, Any] | None = None) -> T:
        response = await self._request("GET", path, params=params)
        return decode(tp, response.json(), "response")

    async def _send(
        self,
        method: str,
        path: str,
        *,
        body: object = None,
        headers: dict[str, str] | None = None,
        idempotency_key: str | None = None,
        older_servers_ignore_key: bool = False,
        failure: str | None = None,
    ) -> httpx.Response:
        """A mutation: JSON body, an Idempotency-Key shared by every retry of this call, so a
        retry after a lost answer is not done twice. `older_servers_ignore_key` marks a mutation
        whose key older servers ignore: against one of those (see `idempotent_mutations`) it is
        repeated only when it surely never reached the server."""
        all_headers = {"Idempotency-Key": idempotency_key or uuid.uuid4().hex, **(headers or {})}
        content = None if body is None else json.dumps(encode(body)).encode()
        if content is not None:
            all_headers["Content-Type"] = "application/json"
        return await self._request(
            method,
            path,
            content=content,
            headers=all_headers,
            repeatable=not older_servers_ignore_key or await self.idempotent_mutations(),
            failure=failure,
        )

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        repeatable: bool = True,
        failure: str | None = None,
    ) -> httpx.Response:
        """`repeatable`: the request may be sent again after it reached the server (a read, or a
        mutation the server will not do twice); otherwise only when it surely did not."""
        attempt = 0
        while True:
            attempt += 1
            last = attempt >= self._retry.attempts
            try:
                response = await self._client.request(
                    method,
                    self._api + path,
                    params=params,
                    content=content,
                    headers={**self._headers, **(headers or {})},
                )
            except httpx.TransportError as error:
                reason = describe_transport_error(error, self.base_url)
                if last or not (repeatable or safe_to_retry_after_send(error)):
                    raise RetriesExhaustedError(
                        failure or reason, reason, attempts=attempt
                    ) from None
                await self._sleep(self._retry.backoff(attempt))
                continue
            status = response.status_code
            if (
                not last
                and status in RETRY_STATUSES
                and (repeatable or status in NOT_PROCESSED_STATUSES)
            ):
                delay = self._retry.delay_for(attempt, response)
                if delay is not None:
                    await self._sleep(delay)
                    continue
            if response.is_success:
                return response
            problem = error_of(response)
            if problem.transient:
                reason = problem.message
                if f"HTTP {status}" not in reason:  # the server's words; the details add its code
                    reason = f"{reason.rstrip('.')} (HTTP {status})."
                raise RetriesExhaustedError(failure or problem.message, reason, attempts=attempt)
            raise problem

    async def _follow(
        self, path: str, params: dict[str, int], tp: type[T], *, ends: bool
    ) -> AsyncIterator[T]:
        """Items of an SSE stream; reconnects after a drop and resumes after the last event id,
        so no item is lost and none is seen twice.

        The connection is read by a task of its own: a consumer that stops early cancels that
        task, which unwinds httpx's stream from inside (closing the consumer's side alone would
        leave httpx's generators for the garbage collector to close, outside any task).
        """
        items: asyncio.Queue[T | _End | BaseException] = asyncio.Queue()
        stream = _StreamState(path, params, ends)
        reader = asyncio.ensure_future(self._read_stream(stream, tp, items))
        try:
            while not isinstance(item := await items.get(), _End):
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            reader.cancel()
            with suppress(asyncio.CancelledError):
                await reader

    async def _read_stream(
        self, stream: _StreamState, tp: type[T], items: asyncio.Queue[T | _End | BaseException]
    ) -> None:
        """Put the stream's items into `items` (never waiting on it), then an _End or the error;
        reconnect after a drop while the server is reachable."""
        failures = 0
        try:
            while True:
                received = stream.received
                try:
                    await self._read_connection(stream, tp, items)
                    if stream.ended:
                        items.put_nowait(_END)
                        return
                    if stream.failure is not None:
                        raise stream.failure
                except httpx.TransportError as error:
                    if stream.received == received and failures + 1 >= self._retry.attempts:
                        reason = describe_transport_error(error, self.base_url)
                        raise RetriesExhaustedError(reason, reason, attempts=failures + 1) from None
                except WebOpsError as problem:
                    if not problem.transient:
                        raise
                    if failures + 1 >= self._retry.attempts:
                        reason = problem.message
                        raise RetriesExhaustedError(reason, reason, attempts=failures + 1) from None
                failures = 0 if stream.received > received else failures + 1
                await self._sleep(self._retry.backoff(failures or 1))
        except Exception as error:  # handed to the consumer, raised where it iterates
            items.put_nowait(error)

    async def _read_connection(
        self, stream: _StreamState, tp: type[T], items: asyncio.Queue[T | _End | BaseException]
    ) -> None:
        """One connection, resuming after the last event id. It is read to its end even after an
        `end` or `error` event (the server closes it next), so httpx's generators finish here
        rather than being left suspended for the garbage collector."""
        stream.failure = None
        async with self._events(stream.path, stream.params, stream.last_id) as events:
            async for event in events:
                if event.event == "end" and stream.ends:
                    stream.ended = True
                elif event.event == "error":
                    stream.failure = problems.from_problem(json.loads(event.data), 0)
                else:
                    event_id = None if event.id is None else int(event.id)
                    if stream.seen(event_id):
                        continue
                    stream.last_id = event_id if event_id is not None else stream.last_id
                    stream.received += 1
                    items.put_nowait(decode(tp, json.loads(event.data), "event"))

    @asynccontextmanager
    async def _events(
        self, path: str, params: dict[str, int], last_id: int | None
    ) -> AsyncIterator[AsyncIterator[ServerEvent]]:
        """One connection to an SSE endpoint, resuming after `last_id`; its events."""
        headers = {**self._headers, "Accept": "text/event-stream"}
        if last_id is not None:
            headers["Last-Event-ID"] = str(last_id)
        async with self._client.stream(
            "GET", self._api + path, params=params, headers=headers, timeout=STREAM_TIMEOUT
        ) as response:
            if response.status_code != 200:
                await response.aread()
                raise error_of(response)
            async with aclosing(parse_events(response.aiter_lines())) as events:
                yield events


def error_of(response: httpx.Response) -> WebOpsError:
    """The typed error an unsuccessful response stands for."""
    status = response.status_code
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
    if isinstance(body, dict) and "status" in body:
        return problems.from_problem(body, status)
    if status in RETRY_STATUSES:
        return UnavailableError(f"The server is busy or unreachable (HTTP {status}).")
    return problems.from_problem({"detail": f"The server answered HTTP {status}."}, status)


def describe_transport_error(error: httpx.TransportError, base_url: str) -> str:
    kind = {
        httpx.ConnectTimeout: "took too long to accept the connection",
        httpx.ConnectError: "could not be reached",
        httpx.ReadTimeout: "took too long to answer",
        httpx.WriteTimeout: "took too long to receive the request",
        httpx.PoolTimeout: "has too many requests in flight",
        httpx.RemoteProtocolError: "closed the connection unexpectedly",
        httpx.ReadError: "dropped the connection",
        httpx.WriteError: "dropped the connection",
    }
    for cls, words in kind.items():
        if isinstance(error, cls):
            return f"The WebOps server at {base_url} {words}."
    return f"The WebOps server at {base_url} could not be reached ({type(error).__name__})."


def _seg(value: str) -> str:
    return quote(value, safe="")


def _entry_path(store_id: str, key: str) -> str:
    return f"/stores/{_seg(store_id)}/entries/{_seg(key)}"


def _deployment_path(store_id: str, deployment_id: str) -> str:
    return f"/stores/{_seg(store_id)}/deployments/{_seg(deployment_id)}"
