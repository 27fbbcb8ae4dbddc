"""Turns the current store's live events into the context's signals, for every view.

When the event stream breaks, watching starts again after a pause that doubles with each failure
in a row (1 s up to a minute, jittered so clients that failed together do not come back
together), and is short again once the stream has worked. A stream the server refuses (a token
revoked or expired, or without permission for the store) is not asked for again: every attempt
would count as a failed authentication on the server, which slows such clients down. That
failure goes to `failed`, which the window connects to the session's.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject, Signal

from faststore_desktop.core import backoff as backoffs
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.retry import failure_text
from faststore_desktop.ui.tasks import spawn
from faststore_desktop.webops.errors import AuthenticationError, PermissionDeniedError, WebOpsError

#: The pause before watching again after the first failure; it doubles up to the cap.
FIRST_DELAY_S = 1.0
MAX_DELAY_S = 60.0


def backoff(failures: int, rng: random.Random) -> float:
    """The pause after `failures` failures in a row: between half and all of 1 s doubling per
    failure, capped at a minute (never near zero, so a broken server is not hammered)."""
    return backoffs.backoff(failures, first=FIRST_DELAY_S, cap=MAX_DELAY_S, rng=rng, floor=0.5)


class StoreWatcher(QObject):
    #: Watching stopped for good: (message, details), for the session's failure signal.
    failed = Signal(str, str)

    def __init__(
        self,
        context: StoreContext,
        parent: QObject | None = None,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._task: asyncio.Task[None] | None = None
        self._sleep = sleep
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not crypto
        context.storeChanged.connect(self.restart)

    @property
    def watching(self) -> bool:
        return self._task is not None and not self._task.done()

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
        failures = 0
        while generation == self._context.generation:
            webops, store = self._context.require()
            started = asyncio.get_running_loop().time()
            try:
                async for event in webops.watch(store.id, after=after):
                    if generation != self._context.generation:
                        return
                    failures = 0  # the stream works: a later break starts from a short pause
                    after = event.seq
                    if event.kind == "entries":
                        self._context.entriesChanged.emit()
                    elif event.kind == "deployment":
                        self._context.deploymentsChanged.emit()
            except (AuthenticationError, PermissionDeniedError) as error:
                if generation == self._context.generation:
                    self._refused(store.config.name, error)
                return
            except WebOpsError:
                pass
            if asyncio.get_running_loop().time() - started >= MAX_DELAY_S:
                failures = 0  # it stayed connected a long while, only quietly
            failures += 1
            await self._sleep(backoff(failures, self._rng))

    def _refused(self, store_name: str, error: WebOpsError) -> None:
        if isinstance(error, AuthenticationError):
            message = self.tr("The server rejected your token: live updates of %s stopped.")
            advice = self.tr(
                "Add a valid token for this server in File > Connections, then open it again."
            )
        else:
            message = self.tr("Your token has no permission to follow %s: live updates stopped.")
            advice = self.tr("Ask an admin of the server for a token that may read this store.")
        details = [*filter(None, failure_text(error)), advice]
        self.failed.emit(message % store_name, "\n".join(details))
