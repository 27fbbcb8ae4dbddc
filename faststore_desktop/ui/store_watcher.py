"""Turns the current store's live events into the context's signals, for every view."""

from __future__ import annotations

import asyncio
import contextlib

from PySide6.QtCore import QObject

from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.tasks import spawn
from faststore_desktop.webops.errors import WebOpsError

#: Pause before watching again after the event stream broke.
_RETRY_S = 2.0


class StoreWatcher(QObject):
    def __init__(self, context: StoreContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._task: asyncio.Task[None] | None = None
        context.storeChanged.connect(self.restart)

    def restart(self) -> None:
        self.stop()
        if self._context.webops is not None and self._context.store is not None:
            self._task = spawn(self._watch(self._context.generation))

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _watch(self, generation: int) -> None:
        after = 0
        while generation == self._context.generation:
            webops, store = self._context.require()
            with contextlib.suppress(WebOpsError):
                async for event in webops.watch(store.id, after=after):
                    if generation != self._context.generation:
                        return
                    after = event.seq
                    if event.kind == "entries":
                        self._context.entriesChanged.emit()
                    elif event.kind == "deployment":
                        self._context.deploymentsChanged.emit()
            await asyncio.sleep(_RETRY_S)
