"""Data folders an earlier run left, and the keyring dialog the app shows over them."""

from __future__ import annotations

from pathlib import Path

from async_support import wait_until
from variables_support import visible_dialog

from faststore_desktop.core import changeset
from faststore_desktop.core.changeset import ChangeSet
from faststore_desktop.core.entries import EntryType
from faststore_desktop.ui.dialogs.keyring_missing import KeyringMissingDialog
from faststore_desktop.webops.local.service import LocalWebOps
from faststore_desktop.webops.models import StoreConfig

PASSPHRASE = "correct horse battery staple"


async def saved_store(data_dir: Path, key: bytes) -> str:
    """A store with one entry sealed with `key`, as an earlier run left it; its id."""
    webops = await LocalWebOps.open(data_dir, key, actor="a")
    try:
        store = await webops.create_store(StoreConfig(name="Saved"))
        entry = changeset.create("K", EntryType.TEXT, "v")
        await webops.apply(store.id, ChangeSet([entry]), idempotency_key=None)
        return store.id
    finally:
        await webops.close()


async def next_dialog(previous: KeyringMissingDialog | None = None) -> KeyringMissingDialog:
    """The keyring dialog shown next (not `previous`)."""
    await wait_until(
        lambda: (d := visible_dialog(KeyringMissingDialog)) is not None and d is not previous,
        30,
        "the keyring dialog",
    )
    dialog = visible_dialog(KeyringMissingDialog)
    assert isinstance(dialog, KeyringMissingDialog)
    return dialog
