"""A keyring living in one process, holding the data key the benchmark's store was made with.

The start-up benchmark's child names it in PYTHON_KEYRING_BACKEND, so keyring loads it when the
app first asks for a key, as it would load the system's: not before the window is shown.
"""

from __future__ import annotations

import os

import keyring.backend

from benchmarks.startup_probe import DATA_KEY_ENV
from faststore_desktop.webops.keychain import DATA_KEY_ACCOUNT, DATA_KEY_SERVICE


class ProcessKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items = {(DATA_KEY_SERVICE, DATA_KEY_ACCOUNT): os.environ[DATA_KEY_ENV]}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)
