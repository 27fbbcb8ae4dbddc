"""Fixtures of the UI tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from async_support import failing_on_background_errors
from deploys_support import Embedded, finish, open_embedded
from PySide6.QtCore import QCoreApplication, QLocale, QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication

from faststore_desktop.ui.icons import style_sheet


@pytest.fixture(autouse=True)
def no_nested_event_processing(monkeypatch: pytest.MonkeyPatch) -> None:
    """processEvents() inside a coroutine is refused: await asyncio.sleep() instead.

    Called inside a task's step, it runs the qasync callbacks that are due nested in that step.
    asyncio refuses to step another task there ("Cannot enter into task"), and that task's
    wake-up is consumed: it never resumes, and the test hangs in whatever awaits it.
    """
    process_events = QCoreApplication.processEvents

    def guarded(*args: Any) -> None:
        try:
            task = asyncio.current_task()
        except RuntimeError:  # no loop running
            task = None
        if task is not None:
            raise AssertionError(
                "processEvents() inside a coroutine loses other tasks' wake-ups; "
                "await asyncio.sleep() to let Qt process events"
            )
        process_events(*args)

    monkeypatch.setattr(QCoreApplication, "processEvents", staticmethod(guarded))


@pytest.fixture
def styled(qapp: QApplication) -> Iterator[None]:
    """The app's style sheet and a common locale, as a user in the US would see the app."""
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    qapp.setStyleSheet(style_sheet("app"))
    yield
    qapp.setStyleSheet("")
    QLocale.setDefault(previous)


@pytest_asyncio.fixture
async def embedded(tmp_path: Path) -> AsyncIterator[Embedded]:
    """The embedded WebOps with the sample store; a background task failing fails the test."""
    with failing_on_background_errors():
        opened = await open_embedded(tmp_path)
        try:
            yield opened
        finally:
            await finish(opened)
            await opened.webops.close()


class UrlCatcher(QObject):
    """Stands in for the desktop: QDesktopServices hands it the file URLs it would open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def opened_urls() -> Iterator[list[QUrl]]:
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    yield catcher.urls
    QDesktopServices.unsetUrlHandler("file")
