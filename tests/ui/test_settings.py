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


def test_store_folders_are_kept_per_connection_and_store(tmp_path: Path) -> None:
    file = tmp_path / "settings.ini"
    team = "https://webops.example.com/team"  # a server's id is its URL, slashes and all
    settings = Settings(file)
    assert settings.store_folder(team, "store-1") is None
    settings.set_store_folder(team, "store-1", tmp_path / "checkout one")
    settings.set_store_folder(team, "store-2", tmp_path / "two")
    settings.set_store_folder("https://other.example.com", "store-1", tmp_path / "other")
    settings.sync()

    again = Settings(file)
    assert again.store_folder(team, "store-1") == tmp_path / "checkout one"
    assert again.store_folder(team, "store-2") == tmp_path / "two"
    assert again.store_folder("https://other.example.com", "store-1") == tmp_path / "other"
    assert again.store_folder(LOCAL_CONNECTION_ID, "store-1") is None
    again.set_store_folder(team, "store-1", None)
    assert again.store_folder(team, "store-1") is None
    assert again.store_folder(team, "store-2") == tmp_path / "two"


def test_forgetting_a_connections_folders_keeps_the_others(tmp_path: Path) -> None:
    file = tmp_path / "settings.ini"
    team, other = "https://webops.example.com/team", "https://other.example.com"
    settings = Settings(file)
    settings.set_store_folder(team, "store-1", tmp_path / "one")
    settings.set_store_folder(team, "store-2", tmp_path / "two")
    settings.set_store_folder(other, "store-1", tmp_path / "other")
    (tmp_path / "one").mkdir()

    settings.forget_store_folders(team)
    settings.forget_store_folders("https://never.example.com")  # nothing to forget: no error
    settings.sync()

    again = Settings(file)
    assert again.store_folder(team, "store-1") is None
    assert again.store_folder(team, "store-2") is None
    assert again.store_folder(other, "store-1") == tmp_path / "other"
    assert team not in file.read_text()
    assert (tmp_path / "one").is_dir()  # only the setting goes, never the folder


def test_malformed_store_folders_read_as_none(tmp_path: Path) -> None:
    file = tmp_path / "settings.ini"
    raw = QSettings(str(file), QSettings.Format.IniFormat)
    raw.setValue(Key.STORE_FOLDERS.path, '{"https://a": {"s1": 3, "s2": "/code"}, "b": []}')
    raw.sync()
    settings = Settings(file)
    assert settings.store_folder("https://a", "s1") is None
    assert settings.store_folder("https://a", "s2") == Path("/code")
    assert settings.store_folder("b", "s1") is None
    raw.setValue(Key.STORE_FOLDERS.path, "not json")
    raw.sync()
    assert Settings(file).store_folder("https://a", "s2") is None
    Settings(file).set_store_folder("https://a", "s3", Path("/x"))  # starts over, no error
