"""`faststore-desktop --smoke`: prove that a build works on this machine, then quit.

It composes the real application (app.App) on a temporary data directory and settings file,
opens the main window on the embedded WebOps with its sample store, checks the OS keyring with a
round trip of a throwaway data key (or says plainly that there is none and goes on with a
temporary passphrase-derived key), reads the database, and runs one deployment of the sample
store until it succeeds. Exit 0 when everything worked; otherwise 1 with the reason on stderr.
Progress goes to stdout. Nothing is left behind: not in the keyring, not on disk.
"""

from __future__ import annotations

import asyncio
import base64
import os
import secrets
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable
from pathlib import Path
from typing import Any, TypeVar

import qasync
from PySide6.QtWidgets import QApplication

from faststore_desktop import __version__
from faststore_desktop.app import App
from faststore_desktop.backends import Backends, UnlockedKey
from faststore_desktop.settings import Settings
from faststore_desktop.webops import keychain
from faststore_desktop.webops.local.datakey import passphrase_data_key
from faststore_desktop.webops.models import Deployment, DeploymentStatus
from faststore_desktop.webops.protocol import WebOps

#: How long each stage may take before the smoke test gives up.
OPEN_TIMEOUT_SECONDS = 60.0
DEPLOY_TIMEOUT_SECONDS = 180.0
#: The keyring entry of the throwaway data key; a unique account keeps runs apart.
SMOKE_KEY_URL_PREFIX = "faststore-desktop-smoke:"
#: Log lines of a failed step shown in the reason.
FAILED_LOG_TAIL = 15

_T = TypeVar("_T")


class SmokeFailure(Exception):
    """The smoke test failed; the message is the reason shown on stderr."""


def say(message: str) -> None:
    print(f"smoke: {message}", flush=True)


def run_smoke() -> int:
    """The `--smoke` command: 0 when the app works here, 1 with the reason on stderr."""
    _headless_default()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("FastStore Desktop")
    app.setQuitOnLastWindowClosed(False)  # closing the window must not stop the loop mid-cleanup
    say(f"FastStore Desktop {__version__}, Qt platform {app.platformName()}")
    started = time.perf_counter()
    try:
        with (
            tempfile.TemporaryDirectory(prefix="faststore-smoke-") as scratch,
            asyncio.Runner(loop_factory=qasync.QEventLoop) as runner,
        ):
            runner.run(_smoke(Path(scratch)))
    except Exception as error:  # every failure becomes a reason on stderr, never a traceback
        print(f"faststore-desktop --smoke: FAILED: {_reason(error)}", file=sys.stderr, flush=True)
        return 1
    say(f"ok in {time.perf_counter() - started:.1f} s")
    return 0


def _headless_default() -> None:
    """Without a display, Qt would abort with a misleading message: use the offscreen platform."""
    linux_without_display = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if linux_without_display:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


async def _smoke(scratch: Path) -> None:
    problems: list[SmokeFailure] = []
    settled = asyncio.Event()  # the store opened, or something went wrong

    def problem(reason: str) -> None:
        problems.append(SmokeFailure(reason))
        settled.set()

    asyncio.get_running_loop().set_exception_handler(
        lambda _loop, context: problem(f"unexpected error: {_reason(_error_of(context))}")
    )
    data_dir = scratch / "data"
    data_dir.mkdir()
    backends = SmokeBackends(data_dir)
    composition = App(backends=backends, settings=Settings(scratch / "settings.ini"))
    context = composition.context

    def store_changed() -> None:
        if context.store is not None:
            settled.set()

    context.storeChanged.connect(store_changed)
    composition.session.failed.connect(
        lambda message, details: problem(f"opening the embedded store failed: {message} {details}")
    )
    try:
        composition.start()
        if not composition.window.isVisible():
            raise SmokeFailure("the main window did not open")
        say("main window shown")
        await _within(OPEN_TIMEOUT_SECONDS, "the embedded store did not open", settled.wait())
        _raise_first(problems)
        webops, store = context.require()
        say(f"keyring: {backends.keyring_report}")
        entries = await webops.list_entries(store.id)
        if not entries:
            raise SmokeFailure("the database opened, but the sample store has no entries")
        say(f"database: {store.config.name!r} opened with {len(entries)} entries")
        await _deploy(webops, store.id)
        _raise_first(problems)
    finally:
        try:
            await backends.forget_smoke_key()  # first: nothing may stay in the user's keyring
        finally:
            await composition.close()
            composition.window.close()


async def _deploy(webops: WebOps, store_id: str) -> None:
    deployment = await webops.create_deployment(store_id, "Smoke test")
    say(f"deployment {deployment.id} created ({deployment.status})")
    started = time.perf_counter()
    await _within(
        DEPLOY_TIMEOUT_SECONDS, "the deployment did not end", _finished(webops, deployment)
    )
    finished = await webops.get_deployment(store_id, deployment.id)
    elapsed = time.perf_counter() - started
    if finished.status is not DeploymentStatus.SUCCESS:
        raise SmokeFailure(
            f"the deployment ended {finished.status}: {await _failure_details(webops, finished)}"
        )
    steps = ", ".join(f"{step.name} {step.status}" for step in finished.steps)
    say(f"deployment {finished.id}: {finished.status} in {elapsed:.1f} s ({steps})")


async def _failure_details(webops: WebOps, deployment: Deployment) -> str:
    """Which step failed and the end of its log (the runner masks entry values in logs)."""
    failed = [s for s in deployment.steps if s.status is not DeploymentStatus.SUCCESS]
    if not failed:
        return deployment.error or "no step failed, yet it did not succeed"
    step = failed[0]
    log = webops.follow_log(deployment.store_id, deployment.id, step.name)
    lines = [line.text async for line in log]
    tail = "\n    ".join(lines[-FAILED_LOG_TAIL:])
    return f"step {step.name!r} {step.status}: {step.error or deployment.error}\n    {tail}"


class SmokeBackends(Backends):
    """The app's Backends, except that the data key never needs a person at the keyboard."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir)
        self.keyring_report = "not checked"
        self._key_url = ""

    async def _data_key(self) -> UnlockedKey | None:
        return UnlockedKey(await asyncio.to_thread(self._smoke_data_key), protection="")

    def _smoke_data_key(self) -> bytes:
        try:
            key = self._keyring_round_trip()
        except keychain.KeychainUnavailableError as error:
            self.keyring_report = (
                f"NONE USABLE ({error.message}) - "
                "continuing with a temporary passphrase-derived key"
            )
            return passphrase_data_key(self.data_dir, secrets.token_urlsafe(24))
        secure = "a system store" if keychain.is_secure_backend() else "NOT a system store"
        self.keyring_report = f"{keychain.backend_name()} ({secure}): round trip ok"
        return key

    def _keyring_round_trip(self) -> bytes:
        """Store a fresh data key in the keyring, read it back, and use what was read."""
        url = f"{SMOKE_KEY_URL_PREFIX}{uuid.uuid4()}"
        key = secrets.token_bytes(keychain.DATA_KEY_BYTES)
        keychain.set_token(url, base64.b64encode(key).decode("ascii"))
        self._key_url = url  # stored: forget_smoke_key() removes it at the end
        stored = keychain.get_token(url)
        if stored is None or base64.b64decode(stored) != key:
            raise SmokeFailure(
                f"the keyring ({keychain.backend_name()}) did not return what was stored"
            )
        return key

    async def forget_smoke_key(self) -> None:
        if self._key_url:
            await asyncio.to_thread(keychain.delete_token, self._key_url)


async def _within(seconds: float, what: str, work: Awaitable[_T]) -> _T:
    try:
        async with asyncio.timeout(seconds):
            return await work
    except TimeoutError:
        raise SmokeFailure(f"{what} within {seconds:.0f} s") from None


async def _finished(webops: WebOps, deployment: Deployment) -> None:
    """Returns once the store's event stream reports that `deployment` has ended."""
    events = webops.watch(deployment.store_id)
    try:
        async for event in events:
            if event.deployment_id == deployment.id and event.status and event.status.finished:
                return
    finally:
        close = getattr(events, "aclose", None)  # an async generator: end it now, not at GC
        if close is not None:
            await close()


def _error_of(context: dict[str, Any]) -> BaseException:
    error = context.get("exception")
    return error if error is not None else RuntimeError(context.get("message", "unknown error"))


def _raise_first(problems: list[SmokeFailure]) -> None:
    if problems:
        raise problems[0]


def _reason(error: BaseException) -> str:
    """A failure in words: our own reasons as they are, typed errors by their user message."""
    if isinstance(error, SmokeFailure):
        return str(error)
    message = getattr(error, "message", None) or str(error)
    return f"{type(error).__name__}: {message}"
