"""Where the open store's code is on this computer: the folder Local development and Migration
work in. Both views read and change it here, and nowhere else.

- A store of the embedded WebOps ("This computer"): the folder in the store's settings
  (`StoreConfig.folder`), which its deployments build. The code the user edits and the code a
  deployment builds are then the same folder on the same computer, so choosing another folder
  changes the store's settings too (`configure_store`), as it always has.
- A store of a WebOps API server: its `StoreConfig.folder` is the folder the server builds from,
  on the server's computer, and changing it needs an admin token. The user's checkout is another
  folder, theirs alone: it is remembered in this app's settings, per connection and store, and
  the store's settings on the server are never changed from here. Until one is chosen there is
  none (the views ask for one).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from faststore_desktop.settings import LOCAL_CONNECTION_ID
from faststore_desktop.ui.context import StoreContext


def is_embedded(context: StoreContext) -> bool:
    """Whether the open store is one of the embedded WebOps (its folder is on this computer)."""
    return context.connection_id == LOCAL_CONNECTION_ID


def code_folder(context: StoreContext) -> Path | None:
    """The code folder of the open store on this computer; None when none is chosen (or no store
    is open)."""
    store = context.store
    if store is None:
        return None
    if is_embedded(context):
        return Path(store.config.folder) if store.config.folder else None
    if not context.connection_id:
        return None  # a connection nobody named: nothing to key a remembered folder by
    return context.settings.store_folder(context.connection_id, store.id)


async def set_code_folder(context: StoreContext, folder: Path) -> None:
    """Make `folder` the open store's code folder on this computer.

    Embedded: saved in the store's settings, and the context gets the updated store (storeChanged).
    Server: remembered in this app's settings; the context emits codeFolderChanged.
    Raises WebOpsError (embedded only) when the store's settings cannot be saved.
    """
    webops, store = context.require()
    if is_embedded(context):
        updated = await webops.configure_store(store.id, replace(store.config, folder=str(folder)))
        if context.store is store:  # else the user went elsewhere meanwhile
            context.set_store(webops, updated, context.connection_name, context.connection_id)
        return
    if not context.connection_id:
        raise RuntimeError("the open store's connection is not known")
    context.settings.set_store_folder(context.connection_id, store.id, folder)
    context.settings.sync()  # a choice the user made: on disk now, not at the next exit
    context.codeFolderChanged.emit()
