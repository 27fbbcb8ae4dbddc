"""What every view shares: the WebOps backend, the current store, and app-wide notices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from faststore_desktop.settings import Settings
    from faststore_desktop.webops.models import Store
    from faststore_desktop.webops.protocol import WebOps


class StoreContext(QObject):
    """The current backend and store; views listen to it instead of to each other.

    Views must not keep a store's data after `storeChanged`: a late answer for the previous store
    is dropped by comparing `generation` before and after an await.
    """

    #: The backend or the store changed (also emitted when they become None).
    storeChanged = Signal()
    #: Entries of the current store changed (by this app or, via watch(), by someone else).
    entriesChanged = Signal()
    #: A deployment of the current store was created or changed status.
    deploymentsChanged = Signal()
    #: A short message for the user: (text, kind) with kind "success", "info" or "error".
    toast = Signal(str, str)
    #: Ask the main window to show a view by its object name (e.g. "deployments").
    showView = Signal(str)
    #: The code folder of the current store on this computer changed while the store stayed
    #: the same (see ui/store_folder.py; a change that updates the store emits storeChanged).
    codeFolderChanged = Signal()

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._webops: WebOps | None = None
        self._store: Store | None = None
        self._connection_name = ""
        self._connection_id = ""
        self._settings = settings
        self.generation = 0

    @property
    def settings(self) -> Settings:
        """The app's settings, as the composition root made them (never a file of its own)."""
        return self._settings

    @property
    def webops(self) -> WebOps | None:
        return self._webops

    @property
    def store(self) -> Store | None:
        return self._store

    @property
    def connection_name(self) -> str:
        return self._connection_name

    @property
    def connection_id(self) -> str:
        """The id of the connection the store belongs to (settings.LOCAL_CONNECTION_ID for the
        embedded WebOps, a server's URL otherwise); "" while no backend is set."""
        return self._connection_id

    def set_store(
        self,
        webops: WebOps | None,
        store: Store | None,
        connection_name: str,
        connection_id: str,
    ) -> None:
        """Set the backend, its store and its connection. The connection id keys what this
        computer remembers per store (the code folder): a backend without one is refused."""
        if webops is not None and not connection_id:
            raise ValueError("a backend needs the id of its connection")
        self._webops, self._store, self._connection_name = webops, store, connection_name
        self._connection_id = connection_id if webops is not None else ""
        self.generation += 1
        self.storeChanged.emit()

    def clear(self) -> None:
        """No backend and no store (emits storeChanged)."""
        self.set_store(None, None, "", "")

    def require(self) -> tuple[WebOps, Store]:
        """The backend and store, for an action the UI only offers when both exist."""
        if self._webops is None or self._store is None:
            raise RuntimeError("no store is open")
        return self._webops, self._store
