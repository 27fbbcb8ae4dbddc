"""The store context is told, never guesses: the settings it keys local choices in, and the
connection a backend belongs to."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from faststore_desktop.settings import LOCAL_CONNECTION_ID, Settings
from faststore_desktop.ui.context import StoreContext


def test_the_context_uses_the_settings_it_is_given(tmp_path: Path, qapp: QApplication) -> None:
    settings = Settings(tmp_path / "settings.ini")
    assert StoreContext(settings).settings is settings
    with pytest.raises(TypeError):
        StoreContext()  # type: ignore[call-arg]  # never the user's own settings file by chance


def test_a_backend_without_its_connection_is_refused(tmp_path: Path, qapp: QApplication) -> None:
    context = StoreContext(Settings(tmp_path / "settings.ini"))
    changes: list[int] = []
    context.storeChanged.connect(lambda: changes.append(context.generation))
    backend = object()

    with pytest.raises(ValueError, match="needs the id of its connection"):
        context.set_store(backend, None, "Team server", "")  # type: ignore[arg-type]
    assert context.webops is None and changes == []  # nothing half set

    context.set_store(backend, None, "This computer", LOCAL_CONNECTION_ID)  # type: ignore[arg-type]
    assert context.connection_id == LOCAL_CONNECTION_ID
    context.clear()
    assert (context.webops, context.store, context.connection_id) == (None, None, "")
    assert changes == [1, 2]
