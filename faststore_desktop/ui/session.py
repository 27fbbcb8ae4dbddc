"""Which connection and store are open: opening them, switching, and remembering the choice.

How a backend is made (the keyring, the embedded store, an API server) is the composition
root's business: the session receives an `opener` and only talks to the protocol.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal

from faststore_desktop.settings import LOCAL_CONNECTION_ID, Key, Settings
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.retry import failure_text, retry_transient
from faststore_desktop.ui.tasks import reporting
from faststore_desktop.webops.errors import WebOpsError

if TYPE_CHECKING:
    from faststore_desktop.webops.http.check import ConnectionReport
    from faststore_desktop.webops.models import Store
    from faststore_desktop.webops.protocol import WebOps


@dataclass(frozen=True, slots=True)
class Connection:
    """A place stores live: "This computer" (url "") or a WebOps API server."""

    id: str
    name: str
    url: str = ""

    @property
    def is_local(self) -> bool:
        return self.id == LOCAL_CONNECTION_ID


@dataclass(frozen=True, slots=True)
class Opened:
    """A backend the opener made, with how its secret is protected (for the status bar)."""

    webops: WebOps
    #: Where the connection's secret lives: a keyring named, or a passphrase.
    protection: str = ""
    #: Set when that secret sits in a keyring that is not the system's own store: what it means
    #: and what to do.
    protection_warning: str = ""


#: Opens a backend for a connection; None when the user declined (e.g. closed a dialog).
Opener = Callable[[Connection], Awaitable["Opened | None"]]


class ServerAccess(Protocol):
    """Tokens of API servers (kept in the OS keyring) and the connection test."""

    async def test(self, url: str, token: str) -> ConnectionReport:
        """Whether the token connects, and why not in words: unreachable, TLS, bad token, or
        connected without the permission to change anything."""
        ...

    async def save_token(self, url: str, token: str) -> None: ...

    async def forget_token(self, url: str) -> None: ...


class Session(QObject):
    #: The connections or the stores of the current connection changed.
    storesChanged = Signal()
    #: A description of slow work in progress ("" when idle).
    busyChanged = Signal(str)
    #: Opening a connection failed: (message, details).
    failed = Signal(str, str)

    def __init__(
        self,
        context: StoreContext,
        settings: Settings,
        opener: Opener,
        access: ServerAccess,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.access = access
        self._context = context
        self._settings = settings
        self._opener = opener
        self._connection: Connection | None = None
        self._webops: WebOps | None = None
        self._stores: list[Store] = []
        self._protection = ("", "")
        self._attempts = 0  # opens started; the latest one is the user's choice
        self._latest_settled = True

    @property
    def connection(self) -> Connection | None:
        return self._connection

    @property
    def opening(self) -> bool:
        """The connection chosen last is still being opened."""
        return not self._latest_settled

    @property
    def protection(self) -> str:
        """How the open connection's secret is protected ("" when none is open)."""
        return self._protection[0]

    @property
    def protection_warning(self) -> str:
        """Why the open connection's keyring is a risk ("" when it is the system's own)."""
        return self._protection[1]

    @property
    def stores(self) -> Sequence[Store]:
        return tuple(self._stores)

    def connections(self) -> list[Connection]:
        local = Connection(LOCAL_CONNECTION_ID, self.tr("This computer"))
        servers = [Connection(s.id, s.name, s.url) for s in self._settings.servers()]
        return [local, *servers]

    def connection_by_id(self, connection_id: str) -> Connection | None:
        return next((c for c in self.connections() if c.id == connection_id), None)

    async def start(self) -> None:
        """Open the connection and store used last time (the embedded one the first time)."""
        last = self._settings.get(Key.LAST_CONNECTION)
        connection = self.connection_by_id(last) or self.connections()[0]
        if not await self.open(connection) and not connection.is_local:
            await self.open(self.connections()[0])

    async def open(self, connection: Connection) -> bool:
        """Switch to `connection`; True when a backend is open afterwards.

        The connection chosen last wins: an open overtaken by a later one (a slow server the user
        gave up on) closes what it opened and returns False, without a word.
        """
        self._attempts += 1
        attempt, self._latest_settled = self._attempts, False
        self.busyChanged.emit(self.tr("Connecting to %s…") % connection.name)
        try:
            opened = await self._opener(connection)
            if opened is None:
                return False
            webops = opened.webops
            try:
                stores = list(await retry_transient(webops.list_stores))
            except BaseException:  # the connection open stays: the new backend goes
                await webops.close()
                raise
            if attempt != self._attempts:
                await webops.close()
                return False
        except WebOpsError as error:
            if attempt == self._attempts:
                details = "\n".join(filter(None, failure_text(error)))
                self.failed.emit(self.tr("Could not open %s.") % connection.name, details)
            return False
        finally:
            if attempt == self._attempts:
                self._latest_settled = True
                self.busyChanged.emit("")
        self._context.clear()  # no view may use the backend being closed
        await self._close_backend()
        self._connection, self._webops, self._stores = connection, webops, stores
        self._protection = (opened.protection, opened.protection_warning)
        self._settings.set(Key.LAST_CONNECTION, connection.id)
        self.storesChanged.emit()
        last_store = self._settings.get(Key.LAST_STORE)
        chosen = next((s for s in stores if s.id == last_store), stores[0] if stores else None)
        self.select_store(chosen.id if chosen else None)
        return True

    async def refresh_stores(self) -> None:
        """Read the list of stores again (someone may have added one); a failure is reported
        through `failed` while that connection is still the open one."""
        webops, connection = self._webops, self._connection
        if webops is None or connection is None:
            return

        def report(error: WebOpsError) -> None:
            if webops is self._webops:
                message = self.tr("Could not read the stores of %s.") % connection.name
                self.failed.emit(message, "\n".join(filter(None, failure_text(error))))

        with reporting(report):
            stores = list(await retry_transient(webops.list_stores))
            if webops is self._webops:
                self._stores = stores
                self.storesChanged.emit()

    def select_store(self, store_id: str | None) -> None:
        store = next((s for s in self._stores if s.id == store_id), None)
        if store is not None:
            self._settings.set(Key.LAST_STORE, store.id)
        connection = self._connection
        name, connection_id = (connection.name, connection.id) if connection else ("", "")
        self._context.set_store(self._webops, store, name, connection_id)

    async def close(self) -> None:
        self._context.clear()
        await self._close_backend()

    async def _close_backend(self) -> None:
        webops, self._webops = self._webops, None
        if webops is not None:
            await webops.close()
