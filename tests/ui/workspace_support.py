"""Set-up shared by the Local development and Migration view tests: the embedded WebOps with
a store whose code folder is a real git repository, and the app's settings (in the test's
config folder)."""

from __future__ import annotations

import secrets
from pathlib import Path

from async_support import wait_pending
from workspace_repo import APP_KEY, REVIEWS_TOKEN

from faststore_desktop.core.changeset import ChangeSet, create
from faststore_desktop.core.entries import EntryType
from faststore_desktop.settings import LOCAL_CONNECTION_ID, Settings
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.webops.local.service import LocalWebOps
from faststore_desktop.webops.models import Store, StoreConfig


class WorkspaceStore:
    """The embedded WebOps with one store whose code folder is `folder`, and a context."""

    def __init__(self, webops: LocalWebOps, store: Store, folder: Path) -> None:
        self.webops, self.store, self.folder = webops, store, folder
        self.context = StoreContext(Settings())

    def show(self, webops: object = None) -> None:
        """Open the store, as "This computer" (through `webops` when given, e.g. a fake)."""
        self.context.set_store(
            webops or self.webops,  # type: ignore[arg-type]
            self.store,
            "This computer",
            LOCAL_CONNECTION_ID,
        )


async def open_store(tmp_path: Path, folder: Path) -> WorkspaceStore:
    webops = await LocalWebOps.open(tmp_path / "data", secrets.token_bytes(32), actor="ana")
    store = await webops.create_store(StoreConfig(name="Storeframework", folder=str(folder)))
    await webops.apply(
        store.id,
        ChangeSet(
            [
                create("VTEX_ACCOUNT", EntryType.TEXT, "storeframework"),
                create("NEXT_PUBLIC_STORE_URL", EntryType.TEXT, "https://storeframework.vtex.app"),
                create("FS_DISCOVERY_APP_KEY", EntryType.SECRET, APP_KEY),
                create("REVIEWS_API_TOKEN", EntryType.SECRET, REVIEWS_TOKEN),
            ]
        ),
        idempotency_key="seed",
    )
    return WorkspaceStore(webops, store, folder)


async def close_store(opened: WorkspaceStore) -> None:
    """Let the views' work finish, leave the store, and close the WebOps."""
    await wait_pending()
    opened.context.clear()
    await wait_pending()
    await opened.webops.close()
