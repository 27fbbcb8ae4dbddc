"""Waiting inside async tests, and ending their background work, on the test's own loop.

Async tests run on a qasync loop, so Qt keeps running while they await: they wait by polling
with `await asyncio.sleep`, never with a nested Qt loop (qtbot.waitUntil/waitSignal hang there).
Importable from every test directory (tests/ is on sys.path).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

#: How often a condition is looked at again.
POLL_S = 0.02


async def wait_until(condition: Callable[[], bool], within: float = 20.0, what: str = "") -> None:
    """Poll `condition` until it holds; fail naming `what` after `within` seconds."""
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await asyncio.sleep(POLL_S)


async def wait_for(
    read: Callable[[], Awaitable[T]],
    done: Callable[[T], bool],
    within: float = 60.0,
    what: str = "",
) -> T:
    """Await `read()` again until `done` holds for its answer, which is returned."""
    deadline = asyncio.get_running_loop().time() + within
    while not done(answer := await read()):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what or read}; last: {answer!r}")
        await asyncio.sleep(POLL_S)
    return answer


async def cancel_pending() -> None:
    """Cancel the tasks the test started (views' loads, watchers) and let them unwind here.

    Left running, they would step outside any loop once the test's loop is closed.
    """
    others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in others:
        task.cancel()
    await asyncio.gather(*others, return_exceptions=True)


async def wait_pending(within: float = 20.0) -> None:
    """Let the tasks the test started finish (a fix, a scan), up to `within` seconds."""
    others = {task for task in asyncio.all_tasks() if task is not asyncio.current_task()}
    if others:
        await asyncio.wait(others, timeout=within)


@contextmanager
def failing_on_background_errors() -> Iterator[None]:
    """An error no task handled (the app's loop handler would show it) fails the test."""
    loop = asyncio.get_running_loop()
    failures: list[dict[str, object]] = []
    loop.set_exception_handler(lambda _loop, context: failures.append(context))
    try:
        yield
    finally:
        loop.set_exception_handler(None)
    assert not failures, f"background tasks failed: {failures}"
