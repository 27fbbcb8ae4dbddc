"""UI tests may not call processEvents() inside a coroutine (see no_nested_event_processing)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QApplication


class Recorder(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[QEvent.Type] = []

    def event(self, event: QEvent) -> bool:
        self.seen.append(event.type())
        return True


@pytest.mark.asyncio
async def test_process_events_inside_a_coroutine_is_refused() -> None:
    with pytest.raises(AssertionError, match="loses other tasks' wake-ups"):
        QApplication.processEvents()


def test_process_events_outside_a_loop_still_delivers_posted_events(qapp: QApplication) -> None:
    recorder = Recorder()
    QCoreApplication.postEvent(recorder, QEvent(QEvent.Type.User))
    qapp.processEvents()
    assert recorder.seen == [QEvent.Type.User]
