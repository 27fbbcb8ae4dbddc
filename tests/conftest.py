"""Test set-up shared by every test.

- Qt runs offscreen (set before any Qt import).
- Every test gets its own config, data, cache and home directories: no test touches the user's.
- The OS keyring is replaced by an in-memory one unless a test asks for the real one
  (`real_keyring` fixture, a private Secret Service started by tests/tools/with_private_keyring.sh).
- `@pytest.mark.asyncio` tests run on a qasync loop, so Qt timers and signals work while they await.
"""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyring_fakes import MemoryKeyring

IN_CI = bool(os.environ.get("CI"))

pytest_plugins = ["stall_watchdog"]  # pytest-timeout that also ends a stalled Qt event loop


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    for name, sub in {
        "XDG_CONFIG_HOME": "config",
        "XDG_DATA_HOME": "data",
        "XDG_CACHE_HOME": "cache",
        "XDG_STATE_HOME": "state",
    }.items():
        path = home / sub
        path.mkdir(parents=True)
        monkeypatch.setenv(name, str(path))
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def memory_keyring(request: pytest.FixtureRequest) -> Iterator[MemoryKeyring | None]:
    if "real_keyring" in request.fixturenames:
        yield None
        return
    previous = keyring.get_keyring()
    fake = MemoryKeyring()
    keyring.set_keyring(fake)
    yield fake
    keyring.set_keyring(previous)


@pytest.fixture
def real_keyring() -> Iterator[keyring.backend.KeyringBackend]:
    """The Secret Service of the private D-Bus session made by with_private_keyring.sh."""
    if not os.environ.get("FSD_PRIVATE_KEYRING"):
        reason = "no private Secret Service (install gnome-keyring and dbus-x11; run `make test`)"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    from keyring.backends import SecretService

    previous = keyring.get_keyring()
    backend = SecretService.Keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, Callable[[], object]]:
    """Async tests run on a qasync loop bound to the QApplication."""
    import qasync
    from PySide6.QtWidgets import QApplication

    def factory() -> object:
        app = QApplication.instance() or QApplication([])
        return qasync.QEventLoop(app)

    return {"qasync": factory}


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Collect the test's garbage here, on the main thread, once its qasync loop is closed.

    Otherwise a later cyclic collection may run in any worker thread (SQLite, DNS) and destroy
    the loop's Qt timers there: Qt warns "Timers cannot be stopped from another thread" and can
    crash.
    """
    yield
    gc.collect()
