"""The keyring-missing dialog over the app's Backends: a passphrase is offered only when it can
open the data, and a wrong one is said inline with what was typed kept.

The data folder is real (SQLite, AES-GCM, scrypt); only the keyring is replaced, by the
in-memory one of tests/conftest.py or keyring's `fail` backend (no usable keyring).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from keyring_fakes import MemoryKeyring
from keyring_support import PASSPHRASE, next_dialog, saved_store
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from faststore_desktop.backends import Backends
from faststore_desktop.ui.dialogs.keyring_missing import Choice, KeyringMissingDialog, Mode
from faststore_desktop.webops.local.crypto import passphrase_file
from faststore_desktop.webops.local.datakey import resolve_data_key
from faststore_desktop.webops.protocol import WebOps

WRONG = "a wrong passphrase"


@pytest.fixture
def no_keyring(memory_keyring: MemoryKeyring, qapp: QApplication) -> Iterator[MemoryKeyring]:
    """No usable keyring until the test puts back the returned one (the user unlocked it).

    The dialogs have no window to sit on: closing one must not end the test's loop.
    """
    keyring.set_keyring(fail.Keyring())
    qapp.setQuitOnLastWindowClosed(False)
    yield memory_keyring
    qapp.setQuitOnLastWindowClosed(True)


def shown_buttons(dialog: KeyringMissingDialog) -> set[str]:
    return {button.text() for button in dialog.findChildren(QPushButton) if button.isVisible()}


def shown_text(dialog: KeyringMissingDialog) -> str:
    return " ".join(label.text() for label in dialog.findChildren(QLabel) if label.isVisible())


def folder_files(data_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(data_dir.iterdir()) if p.name != "webops.lock"}


async def entries_of(webops: WebOps, store_id: str) -> list[tuple[str, str | None]]:
    return [(e.key, e.value) for e in await webops.list_entries(store_id)]


@pytest.mark.asyncio
async def test_keyring_data_asks_for_the_keyring_and_never_for_a_passphrase(
    tmp_path: Path, no_keyring: MemoryKeyring
) -> None:
    data_dir = tmp_path / "data"
    keyring.set_keyring(no_keyring)
    store_id = await saved_store(data_dir, await asyncio.to_thread(resolve_data_key, data_dir))
    keyring.set_keyring(fail.Keyring())
    before = folder_files(data_dir)
    opening = asyncio.ensure_future(Backends(data_dir).open_local())

    dialog = await next_dialog()

    assert dialog.mode is Mode.KEYRING_ONLY
    assert shown_buttons(dialog) == {"Try again", "Not now"}
    assert dialog.passphrase.isHidden() and dialog.repeat.isHidden()
    text = shown_text(dialog)
    assert "saved with the key kept in your system keyring" in text
    assert "a passphrase cannot" in text
    assert "No usable system keyring was found" in text  # what the keychain says is missing
    assert folder_files(data_dir) == before

    dialog.retry_button.click()  # still locked: asked again, still without a passphrase
    again = await next_dialog(dialog)
    assert again.mode is Mode.KEYRING_ONLY
    keyring.set_keyring(no_keyring)  # the user unlocked the keyring
    again.retry_button.click()
    opened = await asyncio.wait_for(opening, 30)
    assert opened is not None
    webops = opened.webops
    try:
        assert await entries_of(webops, store_id) == [("K", "v")]
    finally:
        await webops.close()
    assert not passphrase_file(data_dir).exists()


@pytest.mark.asyncio
@pytest.mark.usefixtures("no_keyring")
async def test_a_wrong_passphrase_is_said_inline_and_what_was_typed_is_kept(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    key = await asyncio.to_thread(resolve_data_key, data_dir, PASSPHRASE)
    store_id = await saved_store(data_dir, key)
    before = folder_files(data_dir)
    backends = Backends(data_dir)
    opening = asyncio.ensure_future(backends.open_local())

    dialog = await next_dialog()
    assert dialog.mode is Mode.ENTER
    assert not dialog.problem.isVisible()
    dialog.passphrase.setText(WRONG)
    dialog.use_button.click()

    retry = await next_dialog(dialog)
    assert retry.mode is Mode.ENTER
    assert retry.problem.isVisible()
    assert retry.problem.text() == (
        "That passphrase doesn't open the variables and secrets on this computer. "
        "Check it and try again."
    )
    assert WRONG not in shown_text(retry)
    assert retry.passphrase.text() == WRONG  # kept, selected: typing replaces it
    assert retry.passphrase.selectedText() == WRONG
    assert retry.use_button.isEnabled()
    assert folder_files(data_dir) == before  # nothing written, the data untouched

    retry.passphrase.setText(PASSPHRASE)
    assert retry.problem.isVisible()  # still said until the next try
    retry.use_button.click()
    opened = await asyncio.wait_for(opening, 30)
    assert opened is not None
    webops = opened.webops
    try:
        assert await entries_of(webops, store_id) == [("K", "v")]
        assert opened.protection == "Protected by a passphrase"
    finally:
        await webops.close()


@pytest.mark.asyncio
@pytest.mark.usefixtures("no_keyring")
async def test_a_new_folder_offers_a_passphrase_and_sets_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    opening = asyncio.ensure_future(Backends(data_dir).open_local())

    dialog = await next_dialog()

    assert dialog.mode is Mode.CHOOSE
    assert shown_buttons(dialog) == {"Use this passphrase", "Try again", "Not now"}
    assert dialog.passphrase.isVisible() and dialog.repeat.isVisible()
    dialog.passphrase.setText(PASSPHRASE)
    dialog.repeat.setText(PASSPHRASE)
    dialog.use_button.click()
    opened = await asyncio.wait_for(opening, 60)
    assert opened is not None
    webops = opened.webops
    await webops.close()
    assert passphrase_file(data_dir).is_file()


def test_each_mode_says_what_it_offers(qapp: QApplication) -> None:
    modes = {mode: KeyringMissingDialog("The keyring is locked.", None, mode=mode) for mode in Mode}
    try:
        for dialog in modes.values():
            dialog.show()
        choose, enter, only = modes[Mode.CHOOSE], modes[Mode.ENTER], modes[Mode.KEYRING_ONLY]
        assert "or protect them with a passphrase instead" in shown_text(choose)
        assert "The keyring is locked." in shown_text(choose)
        assert not choose.use_button.isEnabled()  # until a long enough passphrase is repeated
        assert shown_buttons(enter) == {"Open", "Not now"}
        assert enter.windowTitle() == "Enter your passphrase"
        assert not enter.repeat.isVisible()
        assert shown_buttons(only) == {"Try again", "Not now"}
        assert only.retry_button.isDefault()
        only.retry_button.click()
        assert only.choice is Choice.RETRY
    finally:
        for dialog in modes.values():
            dialog.close()
            dialog.deleteLater()
