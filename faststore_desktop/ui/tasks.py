"""Starting coroutines from Qt slots without losing their failures."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

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
