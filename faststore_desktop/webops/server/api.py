"""The operations of the WebOps API: one handler per protocol method, and the table that maps
each to its method, path, required role and documented answers (routing, auth and the OpenAPI
document are all built from this table)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from faststore_desktop.core.changeset import ChangeSet, ChangeSetError
from faststore_desktop.core.entries import Entry
from faststore_desktop.webops.errors import NotFoundError, ValidationError, WebOpsError
from faststore_desktop.webops.http.bodies import (
    ChangeSetBody,
    CreateEntryBody,
    DeploymentBody,
    RollbackBody,
    UpdateEntryBody,
    WhoAmI,
)
from faststore_desktop.webops.http.codec import INT_MAX, decode, encode, type_hints
from faststore_desktop.webops.http.problems import to_problem
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
from faststore_desktop.webops.protocol import WebOps
from faststore_desktop.webops.server import sse
from faststore_desktop.webops.server.access_log import log_unexpected
from faststore_desktop.webops.server.limits import Limits
from faststore_desktop.webops.server.tokens import Principal, Role

MAX_IDEMPOTENCY_KEY = 200
IDEMPOTENCY_KEY = "Idempotency-Key"
#: Integer query parameters: offsets and sequence numbers fit SQLite's integers; pages are bounded.
_QUERY_BOUNDS = {"limit": (1, 1000)}
_QUERY_DEFAULT_BOUNDS = (0, 2**31 - 1)


def query_bounds(name: str) -> tuple[int, int]:
    """The accepted range of an integer query parameter (the OpenAPI document says the same)."""
    return _QUERY_BOUNDS.get(name, _QUERY_DEFAULT_BOUNDS)


STREAM_FAILED = "The server failed while streaming; follow again to resume."


@dataclass(frozen=True, slots=True)
class Call:
    """What a handler gets: the request, the backend acting as the caller, the limits, and the
    headers its operation requires (`Operation.required_headers`)."""

    request: Request
    webops: WebOps
    principal: Principal
    limits: Limits
    keepalive: float
    required_headers: tuple[str, ...] = ()

    def path(self, name: str) -> str:
        return str(self.request.path_params[name])

    async def body(self, tp: type[Any]) -> Any:
        return decode(tp, await self.limits.read_json(self.request))

    def idempotency_key(self) -> str | None:
        """The Idempotency-Key header; refused when missing if the operation requires it."""
        key = self.request.headers.get(IDEMPOTENCY_KEY)
        if key is None and IDEMPOTENCY_KEY in self.required_headers:
            raise ValidationError("This request needs an Idempotency-Key header.")
        if key is not None and not 0 < len(key) <= MAX_IDEMPOTENCY_KEY:
            raise ValidationError(
                f"The Idempotency-Key header must be 1 to {MAX_IDEMPOTENCY_KEY} characters."
            )
        return key

    def int_query(self, name: str, default: int) -> int:
        raw = self.request.query_params.get(name)
        if raw is None:
            return default
        low, high = query_bounds(name)
        value = _natural(raw, high)
        if value is None or value < low:
            raise ValidationError(
                f"The query parameter '{name}' must be an integer from {low} to {high}."
            )
        return value

    def expected_version(self, from_body: int | None) -> int:
        """The version the caller read: from the body or query, or an `If-Match` header."""
        from_header = _if_match(self.request.headers.get("if-match"))
        if from_body is None:
            raw = self.request.query_params.get("expected_version")
            from_body = None if raw is None else _version(raw, "expected_version")
        if from_body is not None and from_header is not None and from_body != from_header:
            raise ValidationError("If-Match and expected_version disagree.")
        version = from_body if from_body is not None else from_header
        if version is None:
            raise ValidationError("Say which version you read: expected_version or If-Match.")
        return version


Handler = Callable[[Call], Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class Operation:
    """One API operation. `response` and `body` are types the OpenAPI document describes.

    `headers` are the request headers it reads; those also in `required_headers` its handler
    refuses to do without (422: `Call` is handed them), and the document marks them required.
    """

    name: str
    method: str
    path: str
    role: Role
    handler: Handler
    summary: str
    status: int = 200
    response: Any = None
    body: Any = None
    query: tuple[tuple[str, Any], ...] = ()
    headers: tuple[str, ...] = ()
    required_headers: tuple[str, ...] = ()
    errors: tuple[int, ...] = ()
    stream: bool = False

    def __post_init__(self) -> None:
        unread = set(self.required_headers) - set(self.headers)
        if unread:
            raise ValueError(f"{self.name}: required headers not in headers: {sorted(unread)}")


def json_response(
    value: object, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return JSONResponse(encode(value), status_code=status, headers=headers)


def entry_response(entry: Entry, status: int = 200) -> Response:
    return json_response(entry, status, headers={"ETag": f'"{entry.version}"'})


# -- stores -------------------------------------------------------------------------------------
async def list_stores(call: Call) -> Response:
    return json_response(list(await call.webops.list_stores()))


async def get_store(call: Call) -> Response:
    return json_response(await call.webops.get_store(call.path("store_id")))


async def create_store(call: Call) -> Response:
    config = await call.body(StoreConfig)
    store = await call.webops.create_store(config, idempotency_key=call.idempotency_key())
    return json_response(store, 201)


async def configure_store(call: Call) -> Response:
    config = await call.body(StoreConfig)
    store = await call.webops.configure_store(
        call.path("store_id"), config, idempotency_key=call.idempotency_key()
    )
    return json_response(store)


# -- entries ------------------------------------------------------------------------------------
async def list_entries(call: Call) -> Response:
    return json_response(list(await call.webops.list_entries(call.path("store_id"))))


async def get_entry(call: Call) -> Response:
    return entry_response(await call.webops.get_entry(call.path("store_id"), call.path("key")))


async def create_entry(call: Call) -> Response:
    body: CreateEntryBody = await call.body(CreateEntryBody)
    entry = await call.webops.create_entry(
        call.path("store_id"),
        body.key,
        body.type,
        body.value,
        idempotency_key=call.idempotency_key(),
    )
    return entry_response(entry, 201)


async def update_entry(call: Call) -> Response:
    body: UpdateEntryBody = await call.body(UpdateEntryBody)
    key = call.path("key")
    entry = await call.webops.update_entry(
        call.path("store_id"),
        key,
        body.value,
        expected_version=call.expected_version(body.expected_version),
        type=body.type,
        idempotency_key=call.idempotency_key(),
    )
    return entry_response(entry)


async def delete_entry(call: Call) -> Response:
    await call.webops.delete_entry(
        call.path("store_id"),
        call.path("key"),
        expected_version=call.expected_version(None),
        idempotency_key=call.idempotency_key(),
    )
    return Response(status_code=204)


async def apply_changes(call: Call) -> Response:
    body: ChangeSetBody = await call.body(ChangeSetBody)
    call.limits.check_operations(body.operations)
    try:
        changes = ChangeSet(body.operations)
    except ChangeSetError as error:
        raise ValidationError(error.message) from None
    result = await call.webops.apply(
        call.path("store_id"),
        changes,
        idempotency_key=call.idempotency_key() or "",  # required: never missing here
    )
    return json_response(result)


async def entry_status(call: Call) -> Response:
    return json_response(await call.webops.status(call.path("store_id")))


async def entry_history(call: Call) -> Response:
    history = await call.webops.entry_history(call.path("store_id"), call.path("key"))
    return json_response(list(history))


async def rollback_entry(call: Call) -> Response:
    body: RollbackBody = await call.body(RollbackBody)
    expected = body.expected_version
    if expected is None:
        expected = _if_match(call.request.headers.get("if-match"))
    entry = await call.webops.rollback_entry(
        call.path("store_id"),
        call.path("key"),
        body.version,
        expected_version=expected,
        idempotency_key=call.idempotency_key(),
    )
    return entry_response(entry)


async def audit_trail(call: Call) -> Response:
    records = await call.webops.audit_trail(
        call.path("store_id"),
        offset=call.int_query("offset", 0),
        limit=call.int_query("limit", 200),
    )
    return json_response(list(records))


# -- deployments --------------------------------------------------------------------------------
async def list_deployments(call: Call) -> Response:
    query = _deployment_query(call)
    return json_response(await call.webops.list_deployments(call.path("store_id"), query))


async def get_deployment(call: Call) -> Response:
    deployment = await call.webops.get_deployment(call.path("store_id"), call.path("deployment_id"))
    return json_response(deployment)


async def create_deployment(call: Call) -> Response:
    body: DeploymentBody = await call.body(DeploymentBody)
    deployment = await call.webops.create_deployment(
        call.path("store_id"), body.reason, idempotency_key=call.idempotency_key()
    )
    return json_response(deployment, 201)


async def rerun_deployment(call: Call) -> Response:
    deployment = await call.webops.rerun_deployment(
        call.path("store_id"), call.path("deployment_id"), idempotency_key=call.idempotency_key()
    )
    return json_response(deployment, 201)


async def cancel_deployment(call: Call) -> Response:
    deployment = await call.webops.cancel_deployment(
        call.path("store_id"), call.path("deployment_id"), idempotency_key=call.idempotency_key()
    )
    return json_response(deployment)


async def follow_log(call: Call) -> Response:
    store_id, deployment_id = call.path("store_id"), call.path("deployment_id")
    step = unquote(call.path("step"))
    deployment = await call.webops.get_deployment(store_id, deployment_id)
    if step not in {s.name for s in deployment.steps}:
        raise NotFoundError(f"Deployment {deployment_id} has no step named {step!r}.")
    offset = call.int_query("offset", 0)
    resumed = sse.last_event_id(call.request.headers.get("last-event-id"))
    if resumed is not None:
        offset = max(offset, resumed + 1)
    lines = call.webops.follow_log(store_id, deployment_id, step, offset=offset)
    return _stream(call, lines, lambda line: ("line", line.offset), end=True)


async def watch_store(call: Call) -> Response:
    store_id = call.path("store_id")
    await call.webops.get_store(store_id)
    after = call.int_query("after", 0)
    resumed = sse.last_event_id(call.request.headers.get("last-event-id"))
    if resumed is not None:
        after = max(after, resumed)
    events = call.webops.watch(store_id, after=after)
    return _stream(call, events, lambda event: ("store-event", event.seq), end=False)


def _stream(
    call: Call,
    source: AsyncIterator[Any],
    name_and_id: Callable[[Any], tuple[str, int]],
    *,
    end: bool,
) -> Response:
    """An SSE response of `source`; a failure mid-stream becomes an `error` event."""

    async def frames() -> AsyncIterator[bytes]:
        async with sse.closing(source) as items:
            try:
                async for item in sse.with_keepalive(items, call.keepalive):
                    if item is None:
                        yield sse.KEEPALIVE
                        continue
                    name, event_id = name_and_id(item)
                    yield sse.event(name, encode(item), event_id=event_id)
            except WebOpsError as error:
                yield sse.event("error", to_problem(error))
                return
            except Exception as error:  # the client gets a problem, the log a trace
                log_unexpected(error, call.request.scope)
                yield sse.event("error", to_problem(WebOpsError(STREAM_FAILED)))
                return
        if end:
            yield sse.event("end", {})

    return StreamingResponse(
        frames(),
        media_type=sse.MEDIA_TYPE,
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


# -- the caller ---------------------------------------------------------------------------------
async def whoami(call: Call) -> Response:
    return json_response(WhoAmI(call.principal.name, call.principal.role.label))


def _deployment_query(call: Call) -> DeploymentQuery:
    params = call.request.query_params
    raw: dict[str, Any] = {}
    for f in fields(DeploymentQuery):
        if f.name in params:
            raw[f.name] = (
                call.int_query(f.name, 0) if f.name in ("offset", "limit") else params[f.name]
            )
    query: DeploymentQuery = decode(DeploymentQuery, raw, "query")
    return query


def _if_match(header: str | None) -> int | None:
    if header is None:
        return None
    return _version(header.strip().removeprefix("W/").strip('"'), "If-Match")


def _version(raw: str, name: str) -> int:
    version = _natural(raw, INT_MAX)
    if version is None:
        raise ValidationError(f"{name} must be an entry version (an integer).")
    return version


def _natural(raw: str, high: int) -> int | None:
    """`raw` as a whole number up to `high`; None for anything else (signs, "²", huge ones)."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(high)):
        return None
    value = int(raw)
    return value if value <= high else None


_ENTRY = "/stores/{store_id}/entries/{key}"
_DEPLOYMENT = "/stores/{store_id}/deployments/{deployment_id}"
_READ = (404,)
_WRITE = (404, 409, 413, 422)
_PAGE = (("offset", int), ("limit", int))

OPERATIONS: tuple[Operation, ...] = (
    Operation("whoami", "GET", "/whoami", Role.VIEWER, whoami, "Who the token is", response=WhoAmI),
    Operation(
        "listStores",
        "GET",
        "/stores",
        Role.VIEWER,
        list_stores,
        "List stores",
        response=list[Store],
    ),
    Operation(
        "createStore",
        "POST",
        "/stores",
        Role.ADMIN,
        create_store,
        "Create a store",
        status=201,
        response=Store,
        body=StoreConfig,
        headers=(IDEMPOTENCY_KEY,),
        errors=(409, 413, 422),
    ),
    Operation(
        "getStore",
        "GET",
        "/stores/{store_id}",
        Role.VIEWER,
        get_store,
        "Get a store",
        response=Store,
        errors=_READ,
    ),
    Operation(
        "configureStore",
        "PUT",
        "/stores/{store_id}",
        Role.ADMIN,
        configure_store,
        "Configure a store",
        response=Store,
        body=StoreConfig,
        headers=(IDEMPOTENCY_KEY,),
        errors=_WRITE,
    ),
    Operation(
        "listEntries",
        "GET",
        "/stores/{store_id}/entries",
        Role.VIEWER,
        list_entries,
        "List entries (secret values are null)",
        response=list[Entry],
        errors=_READ,
    ),
    Operation(
        "createEntry",
        "POST",
        "/stores/{store_id}/entries",
        Role.EDITOR,
        create_entry,
        "Create an entry",
        status=201,
        response=Entry,
        body=CreateEntryBody,
        headers=(IDEMPOTENCY_KEY,),
        errors=_WRITE,
    ),
    Operation(
        "getEntry",
        "GET",
        _ENTRY,
        Role.VIEWER,
        get_entry,
        "Get an entry",
        response=Entry,
        errors=_READ,
    ),
    Operation(
        "updateEntry",
        "PUT",
        _ENTRY,
        Role.EDITOR,
        update_entry,
        "Update an entry",
        response=Entry,
        body=UpdateEntryBody,
        headers=(IDEMPOTENCY_KEY, "If-Match"),
        query=(("expected_version", int),),
        errors=_WRITE,
    ),
    Operation(
        "deleteEntry",
        "DELETE",
        _ENTRY,
        Role.EDITOR,
        delete_entry,
        "Delete an entry",
        status=204,
        headers=(IDEMPOTENCY_KEY, "If-Match"),
        query=(("expected_version", int),),
        errors=_WRITE,
    ),
    Operation(
        "entryHistory",
        "GET",
        _ENTRY + "/history",
        Role.VIEWER,
        entry_history,
        "Every version of a key, newest first",
        response=list[EntryVersion],
        errors=_READ,
    ),
    Operation(
        "rollbackEntry",
        "POST",
        _ENTRY + "/rollback",
        Role.EDITOR,
        rollback_entry,
        "Roll a key back to an earlier version",
        response=Entry,
        body=RollbackBody,
        headers=(IDEMPOTENCY_KEY, "If-Match"),
        errors=_WRITE,
    ),
    Operation(
        "applyChangeSet",
        "POST",
        "/stores/{store_id}/changesets",
        Role.EDITOR,
        apply_changes,
        "Apply a change set atomically",
        response=ApplyResult,
        body=ChangeSetBody,
        headers=(IDEMPOTENCY_KEY,),
        required_headers=(IDEMPOTENCY_KEY,),
        errors=_WRITE,
    ),
    Operation(
        "entryStatus",
        "GET",
        "/stores/{store_id}/status",
        Role.VIEWER,
        entry_status,
        "Live and pending keys",
        response=EntryStatus,
        errors=_READ,
    ),
    Operation(
        "auditTrail",
        "GET",
        "/stores/{store_id}/audit",
        Role.VIEWER,
        audit_trail,
        "Who did what to which key (never values)",
        response=list[AuditRecord],
        query=_PAGE,
        errors=_READ,
    ),
    Operation(
        "listDeployments",
        "GET",
        "/stores/{store_id}/deployments",
        Role.VIEWER,
        list_deployments,
        "List deployments",
        response=DeploymentPage,
        query=tuple(type_hints(DeploymentQuery).items()),
        errors=_READ,
    ),
    Operation(
        "createDeployment",
        "POST",
        "/stores/{store_id}/deployments",
        Role.EDITOR,
        create_deployment,
        "Redeploy with the current entries",
        status=201,
        response=Deployment,
        body=DeploymentBody,
        headers=(IDEMPOTENCY_KEY,),
        errors=_WRITE,
    ),
    Operation(
        "getDeployment",
        "GET",
        _DEPLOYMENT,
        Role.VIEWER,
        get_deployment,
        "Get a deployment",
        response=Deployment,
        errors=_READ,
    ),
    Operation(
        "rerunDeployment",
        "POST",
        _DEPLOYMENT + "/rerun",
        Role.EDITOR,
        rerun_deployment,
        "Rerun this deployment",
        status=201,
        response=Deployment,
        headers=(IDEMPOTENCY_KEY,),
        errors=_WRITE,
    ),
    Operation(
        "cancelDeployment",
        "POST",
        _DEPLOYMENT + "/cancel",
        Role.EDITOR,
        cancel_deployment,
        "Cancel a deployment",
        response=Deployment,
        headers=(IDEMPOTENCY_KEY,),
        errors=_WRITE,
    ),
    Operation(
        "followLog",
        "GET",
        _DEPLOYMENT + "/steps/{step}/log",
        Role.VIEWER,
        follow_log,
        "Follow a step's log (SSE; event id = line offset)",
        response=LogLine,
        query=(("offset", int),),
        headers=("Last-Event-ID",),
        errors=_READ,
        stream=True,
    ),
    Operation(
        "watchStore",
        "GET",
        "/stores/{store_id}/events",
        Role.VIEWER,
        watch_store,
        "Store events (SSE; event id = seq)",
        response=StoreEvent,
        query=(("after", int),),
        headers=("Last-Event-ID",),
        errors=_READ,
        stream=True,
    ),
)
