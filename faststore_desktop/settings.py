"""A typed facade over QSettings: enum keys, coerced values, defaults in one place.

Nothing secret is ever written here: server tokens live in the OS keyring (webops/keychain.py).
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from faststore_desktop import paths

#: The id of the embedded WebOps connection ("This computer").
LOCAL_CONNECTION_ID = "local"


@dataclass(frozen=True, slots=True)
class ServerConnection:
    """A WebOps API server the user added: a name and a URL (its token is in the keyring)."""

    name: str
    url: str

    @property
    def id(self) -> str:
        return self.url


class Key(enum.Enum):
    """Every setting: (QSettings path, Python type, default)."""

    WINDOW_GEOMETRY = ("window/geometry", QByteArray, QByteArray())
    WINDOW_STATE = ("window/state", QByteArray, QByteArray())
    LAST_CONNECTION = ("session/connection", str, LOCAL_CONNECTION_ID)
    LAST_STORE = ("session/store", str, "")
    LAST_VIEW = ("session/view", str, "variables")
    SERVERS = ("connections/servers", str, "[]")
    #: Where the code of a WebOps API server's store is on this computer, per connection and
    #: store: {connection id: {store id: folder}} (the embedded stores keep theirs in WebOps).
    STORE_FOLDERS = ("workspace/storeFolders", str, "{}")
    # The Deploys view's layout: its filters ("" for "All", or the default order), the list and
    # details splitter, the steps and log splitter, and the columns (order and widths).
    DEPLOYS_ENVIRONMENT = ("deploys/environment", str, "")
    DEPLOYS_BRANCH = ("deploys/branch", str, "")
    DEPLOYS_STATUS = ("deploys/status", str, "")
    DEPLOYS_ORDER = ("deploys/order", str, "")
    DEPLOYS_SPLITTER = ("deploys/splitter", QByteArray, QByteArray())
    DEPLOYS_STEPS_SPLITTER = ("deploys/stepsSplitter", QByteArray, QByteArray())
    DEPLOYS_COLUMNS = ("deploys/columns", QByteArray, QByteArray())
    #: Whether the user sized the columns (else they keep fitting their contents).
    DEPLOYS_COLUMNS_SIZED = ("deploys/columnsSized", bool, False)

    @property
    def path(self) -> str:
        return str(self.value[0])

    @property
    def kind(self) -> type:
        kind: type = self.value[1]
        return kind

    @property
    def default(self) -> Any:
        return self.value[2]


class Settings:
    """Reads and writes typed values; a missing or malformed value reads as the default."""

    def __init__(self, file: Path | None = None) -> None:
        target = file if file is not None else paths.config_dir() / "settings.ini"
        self._qsettings = QSettings(str(target), QSettings.Format.IniFormat)

    @property
    def file(self) -> Path:
        return Path(self._qsettings.fileName())

    def get(self, key: Key) -> Any:
        raw = self._qsettings.value(key.path, key.default)
        return _coerce(raw, key)

    def set(self, key: Key, value: Any) -> None:
        if not isinstance(value, key.kind):
            raise TypeError(f"setting {key.name} takes {key.kind.__name__}")
        self._qsettings.setValue(key.path, value)

    def sync(self) -> None:
        self._qsettings.sync()

    # -- connections: stored as JSON so that a list of records survives every QSettings format --

    def servers(self) -> list[ServerConnection]:
        try:
            records = json.loads(self.get(Key.SERVERS))
            return [ServerConnection(str(r["name"]), str(r["url"])) for r in records]
        except (ValueError, TypeError, KeyError):
            return []

    def set_servers(self, servers: list[ServerConnection]) -> None:
        records = [{"name": s.name, "url": s.url} for s in servers]
        self.set(Key.SERVERS, json.dumps(records))

    # -- local code folders: JSON too, as a connection id is a URL (QSettings splits keys on /) --

    def store_folder(self, connection_id: str, store_id: str) -> Path | None:
        """The folder on this computer remembered for `store_id` of `connection_id`, if any."""
        folder = self._store_folders().get(connection_id, {}).get(store_id)
        return Path(folder) if folder else None

    def set_store_folder(self, connection_id: str, store_id: str, folder: Path | None) -> None:
        """Remember `folder` for the store (None forgets it)."""
        folders = self._store_folders()
        stores = folders.setdefault(connection_id, {})
        if folder is None:
            stores.pop(store_id, None)
        else:
            stores[store_id] = str(folder)
        if not stores:
            del folders[connection_id]
        self.set(Key.STORE_FOLDERS, json.dumps(folders, sort_keys=True))

    def forget_store_folders(self, connection_id: str) -> None:
        """Forget the folders remembered for every store of `connection_id` (a removed server);
        the folders themselves stay on disk."""
        folders = self._store_folders()
        if folders.pop(connection_id, None) is not None:
            self.set(Key.STORE_FOLDERS, json.dumps(folders, sort_keys=True))

    def _store_folders(self) -> dict[str, dict[str, str]]:
        try:
            records = json.loads(self.get(Key.STORE_FOLDERS))
        except ValueError:
            return {}
        if not isinstance(records, dict):
            return {}
        return {
            str(connection): {
                str(store): folder
                for store, folder in stores.items()
                if isinstance(folder, str) and folder
            }
            for connection, stores in records.items()
            if isinstance(stores, dict)
        }


def _coerce(raw: Any, key: Key) -> Any:
    if key.kind is bool and raw in ("true", "false"):  # an INI file keeps booleans as words
        return raw == "true"
    return raw if isinstance(raw, key.kind) else key.default
