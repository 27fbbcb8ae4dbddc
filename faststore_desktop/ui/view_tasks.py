"""Background work a widget starts, cancelled together when its answers can no longer be used.

A view's requests belong to the store it showed: when the store changes, or the view is
destroyed, whatever is still running is cancelled instead of finishing against a widget or a
backend that is gone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QObject

from faststore_desktop.ui.tasks import spawn


class OwnedTasks:
    def __init__(self, owner: QObject) -> None:
        tasks: set[asyncio.Task[Any]] = set()
        self._tasks = tasks
        # The slot must not touch `owner` (its C++ side is gone by then): it only holds the set.
        owner.destroyed.connect(lambda *_: _cancel(tasks))

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = spawn(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def cancel_all(self) -> None:
        _cancel(self._tasks)

    def __len__(self) -> int:
        return len(self._tasks)


def _cancel(tasks: set[asyncio.Task[Any]]) -> None:
    for task in list(tasks):
        task.cancel()
    tasks.clear()
