"""The typed settings facade over QSettings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings

from faststore_desktop.settings import LOCAL_CONNECTION_ID, Key, ServerConnection, Settings


def test_defaults_then_values_survive_a_new_instance(tmp_path: Path) -> None:
    file = tmp_path / "settings.ini"
    settings = Settings(file)
    assert settings.get(Key.LAST_CONNECTION) == LOCAL_CONNECTION_ID
    assert settings.get(Key.LAST_VIEW) == "variables"
    assert settings.get(Key.WINDOW_GEOMETRY).isEmpty()
    settings.set(Key.LAST_STORE, "store-1")
    settings.set(Key.WINDOW_GEOMETRY, QByteArray(b"\x01\x02geometry"))
    settings.set_servers([ServerConnection("Team", "https://webops.example.com")])
    settings.sync()

    again = Settings(file)
    assert again.get(Key.LAST_STORE) == "store-1"
    assert bytes(again.get(Key.WINDOW_GEOMETRY).data()) == b"\x01\x02geometry"
    assert again.servers() == [ServerConnection("Team", "https://webops.example.com")]


def test_malformed_values_read_as_defaults(tmp_path: Path) -> None:
    file = tmp_path / "settings.ini"
    raw = QSettings(str(file), QSettings.Format.IniFormat)
    raw.setValue(Key.WINDOW_GEOMETRY.path, "not bytes")
    raw.setValue(Key.SERVERS.path, '[{"name": "no url"}]')
    raw.sync()
    settings = Settings(file)
    assert settings.get(Key.WINDOW_GEOMETRY).isEmpty()
    assert settings.servers() == []


def test_wrong_type_is_refused(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.ini")
    with pytest.raises(TypeError):
        settings.set(Key.LAST_STORE, 3)


def test_default_file_is_in_the_config_dir(isolated_dirs: Path) -> None:
    assert Settings().file.is_relative_to(isolated_dirs)


def test_no_token_is_ever_written(tmp_path: Path) -> None:
    file = tmp_path / "settings.ini"
    settings = Settings(file)
    settings.set_servers([ServerConnection("Team", "https://webops.example.com")])
    settings.sync()
    assert "token" not in file.read_text().lower()


def test_a_boolean_reads_back_as_a_boolean(tmp_path: Path) -> None:
    file = tmp_path / "settings.ini"
    assert Settings(file).get(Key.DEPLOYS_COLUMNS_SIZED) is False
    settings = Settings(file)
    settings.set(Key.DEPLOYS_COLUMNS_SIZED, True)
    settings.sync()
    assert Settings(file).get(Key.DEPLOYS_COLUMNS_SIZED) is True
