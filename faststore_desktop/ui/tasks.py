"""Starting coroutines from Qt slots without losing their failures, and telling the user of the
failures that are expected."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any

from faststore_desktop.webops.errors import WebOpsError

_running: set[asyncio.Task[Any]] = set()


def spawn(coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
    """Run `coro` on the loop; keep a reference until it ends.

    An exception it does not handle goes to the loop's exception handler, which the app turns
    into a visible message (see app.py), instead of dying silently with the task.
    """
    task = asyncio.get_running_loop().create_task(coro)
    _running.add(task)
    task.add_done_callback(_finished)
    return task


def _finished(task: asyncio.Task[Any]) -> None:
    _running.discard(task)
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        task.get_loop().call_exception_handler(
            {"message": "Unexpected error in a background task", "exception": error, "task": task}
        )


@contextmanager
def reporting(report: Callable[[WebOpsError], object]) -> Iterator[None]:
    """Hand a typed failure of the block to `report`, which shows it where the user looks.

    A `WebOpsError` (the keyring's `KeychainUnavailableError` too) carries a message fit for the
    user: a dialog says it inline, a window through its usual error surface. Let through, it
    would reach the loop's handler, whose box only says that something unexpected went wrong.
    `ui.retry.failure_text` gives the message and its details. The rest of the block is skipped.
    """
    try:
        yield
    except WebOpsError as error:
        report(error)
