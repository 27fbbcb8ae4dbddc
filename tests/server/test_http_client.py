"""HttpWebOps against a fake transport at the edge: retries (503/429/Retry-After, connection
errors), one Idempotency-Key per call, the dashboard's message once retries run out, and log
following that resumes after a cut without losing or repeating a line."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import httpx
import pytest

from faststore_desktop.core.entries import EntryType
from faststore_desktop.webops.errors import ConflictError, NotFoundError, UnavailableError
from faststore_desktop.webops.http.client import HttpWebOps, RetriesExhaustedError
from faststore_desktop.webops.http.codec import encode
from faststore_desktop.webops.http.problems import to_problem
from faststore_desktop.webops.http.retry import RetryPolicy
from faststore_desktop.webops.models import (
    Deployment,
    DeploymentStatus,
    Environment,
    Source,
    Store,
    StoreConfig,
)

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC).isoformat()
ENTRY = {
    "key": "A",
    "type": "text",
    "value": "v",
    "version": 1,
    "created_at": NOW,
    "updated_at": NOW,
    "author": "me",
}
STORE = encode(Store("s", StoreConfig(name="Shop"), datetime(2026, 1, 2, tzinfo=UTC)))
DEPLOYMENT = encode(
    Deployment(
        id="d2",
        store_id="s",
        status=DeploymentStatus.QUEUED,
        environment=Environment.PREVIEW,
        source=Source("abc", "main", "me", "msg"),
        author="me",
        reason="Rerun of d1",
        created_at=datetime(2026, 1, 2, tzinfo=UTC),
    )
)

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """Answers requests from a script of responses (or exceptions), keeping what was asked."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def problem(error: Exception, status: int | None = None, **headers: str) -> httpx.Response:
    body = to_problem(error)  # type: ignore[arg-type]
    return httpx.Response(status or body["status"], json=body, headers=headers)


class Client:
    def __init__(self, handler: Handler) -> None:
        self.sleeps: list[float] = []

        async def sleep(seconds: float) -> None:
            self.sleeps.append(seconds)
            await asyncio.sleep(0)  # lets other tasks run, as a real wait does

        self.http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        self.webops = HttpWebOps(
            "https://server.test",
            "fsd_token",
            client=self.http,
            retry=RetryPolicy(attempts=4, base_delay=0.1, max_delay=1.0),
            sleep=sleep,
        )

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.webops.close()
        await self.http.aclose()


@pytest.mark.asyncio
async def test_503_then_success_retries_with_the_same_idempotency_key() -> None:
    busy = UnavailableError("Busy.")
    recorder = Recorder(problem(busy), problem(busy), httpx.Response(201, json=ENTRY))
    async with Client(recorder) as c:
        entry = await c.webops.create_entry("s1", "A", EntryType.TEXT, "v")

    assert entry.key == "A"
    keys = {r.headers["idempotency-key"] for r in recorder.requests}
    assert len(recorder.requests) == 3 and len(keys) == 1
    assert all(0 <= s <= 1.0 for s in c.sleeps) and len(c.sleeps) == 2


@pytest.mark.asyncio
async def test_429_waits_as_long_as_retry_after_says() -> None:
    recorder = Recorder(
        httpx.Response(429, headers={"Retry-After": "3"}), httpx.Response(200, json=[])
    )
    async with Client(recorder) as c:
        assert await c.webops.list_stores() == []

    assert c.sleeps == [3.0]


@pytest.mark.asyncio
async def test_a_retry_after_too_long_fails_now_instead_of_freezing() -> None:
    recorder = Recorder(httpx.Response(503, headers={"Retry-After": "3600"}))
    async with Client(recorder) as c:
        with pytest.raises(UnavailableError):
            await c.webops.list_stores()

    assert c.sleeps == []


@pytest.mark.asyncio
async def test_connection_errors_on_reads_are_retried() -> None:
    request = httpx.Request("GET", "http://server.test")
    recorder = Recorder(
        httpx.ConnectError("refused", request=request),
        httpx.ReadError("reset", request=request),
        httpx.Response(200, json=[]),
    )
    async with Client(recorder) as c:
        assert await c.webops.list_stores() == []

    assert len(recorder.requests) == 3


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda w: w.create_entry("s", "A", EntryType.SECRET, "v"), "Failed to create secret."),
        (lambda w: w.update_entry("s", "A", "v", expected_version=1), "Failed to update secret."),
        (lambda w: w.delete_entry("s", "A", expected_version=1), "Failed to delete secret."),
    ],
)
async def test_failures_that_outlast_retries_use_the_dashboard_message(call, message) -> None:
    recorder = Recorder(*[problem(UnavailableError("The database is busy."))] * 4)
    async with Client(recorder) as c:
        with pytest.raises(RetriesExhaustedError) as caught:
            await call(c.webops)

    assert caught.value.message == f"{message} Please, try again."
    assert caught.value.reason == "The database is busy (HTTP 503)."
    assert len(recorder.requests) == 4


@pytest.mark.asyncio
async def test_an_unreachable_server_is_said_in_words_and_kept_as_the_reason() -> None:
    request = httpx.Request("POST", "http://server.test")
    recorder = Recorder(*[httpx.ConnectError("refused", request=request)] * 4)
    async with Client(recorder) as c:
        with pytest.raises(RetriesExhaustedError) as caught:
            await c.webops.create_entry("s", "A", EntryType.SECRET, "v")

    assert caught.value.message == "Failed to create secret. Please, try again."
    assert caught.value.reason == "The WebOps server at https://server.test could not be reached."


def health(*, idempotent_mutations: bool | None) -> httpx.Response:
    """A `/healthz` answer; None leaves the field out, as servers before it did."""
    body: dict[str, object] = {"status": "ok", "service": "faststore-webops", "api": "v1"}
    if idempotent_mutations is not None:
        body["idempotent_mutations"] = idempotent_mutations
    return httpx.Response(200, json=body)


#: The mutations whose Idempotency-Key servers older than `idempotent_mutations` ignore.
KEYED_LATER = pytest.mark.parametrize(
    ("call", "answer"),
    [
        (lambda w: w.create_store(StoreConfig(name="Shop")), STORE),
        (lambda w: w.configure_store("s", StoreConfig(name="Shop")), STORE),
        (lambda w: w.rerun_deployment("s", "d1"), DEPLOYMENT),
        (lambda w: w.cancel_deployment("s", "d1"), DEPLOYMENT),
    ],
    ids=["createStore", "configureStore", "rerun", "cancel"],
)


@KEYED_LATER
@pytest.mark.asyncio
async def test_a_mutation_whose_answer_was_lost_is_sent_again_with_the_same_key(
    call: Callable[[HttpWebOps], Awaitable[object]], answer: dict[str, object]
) -> None:
    # The server may have done it (the connection broke after the request went out): the same
    # key lets a server that says it honours it answer the first result instead of doing it twice.
    request = httpx.Request("POST", "http://server.test")
    recorder = Recorder(
        health(idempotent_mutations=True),
        httpx.ReadError("reset", request=request),
        httpx.Response(502),
        httpx.Response(200, json=answer),
        httpx.Response(200, json=answer),
    )
    async with Client(recorder) as c:
        await call(c.webops)
        await call(c.webops)  # the server was asked once what it can do

    assert recorder.requests[0].url == "https://server.test/healthz"
    keys = [r.headers.get("idempotency-key") for r in recorder.requests[1:4]]
    assert len(keys) == 3 and len(set(keys)) == 1 and keys[0]
    assert len(recorder.requests) == 5


@KEYED_LATER
@pytest.mark.parametrize("advertised", [False, None], ids=["says-no", "older-server"])
@pytest.mark.asyncio
async def test_a_server_that_may_ignore_the_key_is_not_sent_a_mutation_twice(
    call: Callable[[HttpWebOps], Awaitable[object]],
    answer: dict[str, object],
    advertised: bool | None,
) -> None:
    # An older server ignores the key of these: a lost answer may hide a store or deployment
    # already created, so the client says it failed rather than create a second one.
    request = httpx.Request("POST", "http://server.test")
    recorder = Recorder(
        health(idempotent_mutations=advertised), httpx.ReadError("reset", request=request)
    )
    async with Client(recorder) as c:
        with pytest.raises(RetriesExhaustedError) as caught:
            await call(c.webops)

    assert [r.url.path for r in recorder.requests] == ["/healthz", recorder.requests[1].url.path]
    assert recorder.requests[1].method != "GET" and caught.value.attempts == 1

    # ...but repeats it when it surely never reached the server, or the server did not start on it
    recorder = Recorder(
        health(idempotent_mutations=advertised),
        httpx.ConnectError("refused", request=request),
        httpx.Response(503),
        httpx.Response(200, json=answer),
    )
    async with Client(recorder) as c:
        await call(c.webops)
    assert len(recorder.requests) == 4

    # ...and not after a 502 (the request may have run)
    recorder = Recorder(health(idempotent_mutations=advertised), httpx.Response(502))
    async with Client(recorder) as c:
        with pytest.raises(RetriesExhaustedError):
            await call(c.webops)
    assert len(recorder.requests) == 2


@pytest.mark.asyncio
async def test_a_server_that_cannot_say_what_it_can_do_is_asked_again_next_time() -> None:
    request = httpx.Request("GET", "http://server.test")
    recorder = Recorder(
        httpx.ConnectError("refused", request=request),
        httpx.Response(200, json=STORE),
        health(idempotent_mutations=True),
        httpx.ReadError("reset", request=request),
        httpx.Response(200, json=STORE),
    )
    async with Client(recorder) as c:
        await c.webops.create_store(StoreConfig(name="Shop"))  # meanwhile: as an older server
        await c.webops.create_store(StoreConfig(name="Shop"))

    assert [r.url.path for r in recorder.requests] == [
        "/healthz",
        "/api/v1/stores",
        "/healthz",
        "/api/v1/stores",
        "/api/v1/stores",
    ]


@pytest.mark.asyncio
async def test_entries_are_sent_again_without_asking_what_the_server_can_do() -> None:
    # Entries have honoured Idempotency-Key since the first version of the API.
    request = httpx.Request("POST", "http://server.test")
    recorder = Recorder(httpx.ReadError("reset", request=request), httpx.Response(201, json=ENTRY))
    async with Client(recorder) as c:
        await c.webops.create_entry("s", "A", EntryType.TEXT, "v")

    assert [r.url.path for r in recorder.requests] == ["/api/v1/stores/s/entries"] * 2


@pytest.mark.asyncio
async def test_typed_errors_are_not_retried() -> None:
    recorder = Recorder(problem(ConflictError("A changed.", key="A", current_version=2)))
    async with Client(recorder) as c:
        with pytest.raises(ConflictError) as caught:
            await c.webops.update_entry("s", "A", "v", expected_version=1)

    assert caught.value.current_version == 2
    assert len(recorder.requests) == 1
    assert json.loads(recorder.requests[0].content)["expected_version"] == 1


def _log_event(offset: int) -> bytes:
    line = {
        "deployment_id": "d1",
        "step": "build",
        "offset": offset,
        "text": f"line {offset}",
        "at": NOW,
        "stream": "stdout",
    }
    return f"id: {offset}\nevent: line\ndata: {json.dumps(line)}\n\n".encode()


class CutStream(httpx.AsyncByteStream):
    """Sends some events, then the connection drops."""

    def __init__(self, chunks: list[bytes], *, cut: bool) -> None:
        self.chunks, self.cut = chunks, cut

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk
        if self.cut:
            raise httpx.RemoteProtocolError("peer closed connection without sending complete body")


@pytest.mark.asyncio
async def test_log_following_resumes_after_a_cut_without_loss_or_duplicate() -> None:
    seen_last_ids: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        last = request.headers.get("last-event-id")
        seen_last_ids.append(last)
        headers = {"content-type": "text/event-stream"}
        if last is None:  # first connection: lines 0-4, a keep-alive, then the cut
            chunks = [_log_event(i) for i in range(5)] + [b": keep-alive\n\n"]
            return httpx.Response(200, stream=CutStream(chunks, cut=True), headers=headers)
        # a careless server that repeats the last line it sent: the client drops it
        start = int(last)
        chunks = [_log_event(i) for i in range(start, 10)] + [b"event: end\ndata: {}\n\n"]
        return httpx.Response(200, stream=CutStream(chunks, cut=False), headers=headers)

    async with Client(handler) as c:
        lines = [line async for line in c.webops.follow_log("s", "d1", "build")]

    assert [line.offset for line in lines] == list(range(10))
    assert seen_last_ids == [None, "4"]


@pytest.mark.asyncio
async def test_an_error_event_mid_stream_becomes_the_typed_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = _log_event(0) + (
            b"event: error\ndata: "
            + json.dumps(to_problem(NotFoundError("Gone."))).encode()
            + b"\n\n"
        )
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    async with Client(handler) as c:
        received = []
        with pytest.raises(NotFoundError, match=r"Gone\."):
            async for line in c.webops.follow_log("s", "d1", "build"):
                received.append(line.offset)

    assert received == [0]


def test_the_token_is_not_in_the_repr() -> None:
    assert "fsd_" not in repr(HttpWebOps("https://server.test", "fsd_secret_token"))


@pytest.mark.asyncio
async def test_following_gives_up_when_the_server_stays_away() -> None:
    request = httpx.Request("GET", "http://server.test")
    recorder = Recorder(*[httpx.ConnectError("refused", request=request)] * 4)
    async with Client(recorder) as c:
        with pytest.raises(RetriesExhaustedError) as caught:
            async for _line in c.webops.follow_log("s", "d1", "build"):
                pass

    assert "could not be reached" in caught.value.reason
    assert len(recorder.requests) == 4


@pytest.mark.asyncio
async def test_a_consumer_that_stops_early_closes_the_stream() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        chunks = [_log_event(i) for i in range(3)]
        return httpx.Response(
            200, stream=CutStream(chunks, cut=False), headers={"content-type": "text/event-stream"}
        )

    async with Client(handler) as c:
        lines = c.webops.follow_log("s", "d1", "build")
        first = await anext(lines)
        await lines.aclose()  # type: ignore[attr-defined]

    assert first.offset == 0
