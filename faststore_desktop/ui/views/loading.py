"""How views load what they show: only while shown, and only answers for the store still open."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from PySide6.QtWidgets import QWidget

from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.retry import retry_transient
from faststore_desktop.webops.errors import WebOpsError
from faststore_desktop.webops.models import Store
from faststore_desktop.webops.protocol import WebOps

T = TypeVar("T")


async def read_current(
    context: StoreContext, read: Callable[[WebOps, Store], Awaitable[T]]
) -> T | None:
    """`read` on the open store, retried while it fails transiently.

    None when it failed (the user is told, unless the store changed meanwhile) or when the store
    changed while it ran: its answer would belong to the previous store.
    """
    webops, store = context.require()
    generation = context.generation
    try:
        answer = await retry_transient(lambda: read(webops, store))
    except WebOpsError as error:
        if generation == context.generation:
            context.toast.emit(error.message, "error")
        return None
    return answer if generation == context.generation else None


class LoadWhenShown:
    """Runs a view's `load` at once while the view is shown, else the next time it is shown.

    A hidden view then costs nothing for the changes nobody sees.
    """

    def __init__(self, view: QWidget, load: Callable[[], None]) -> None:
        self._view = view
        self._load = load
        self._stale = True

    def request(self) -> None:
        if not self._view.isVisible():
            self._stale = True
            return
        self._stale = False
        self._load()

    def shown(self) -> None:
        """Call from the view's showEvent."""
        if self._stale:
            self.request()
