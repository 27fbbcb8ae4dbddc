"""Confirmations: short lines stay on one line, long ones wrap at a readable width."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any

import pytest
from async_support import wait_until
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from faststore_desktop.ui.dialogs.delete_entry import confirm_delete
from faststore_desktop.ui.dialogs.run import CONFIRM_LINE_CHARS, confirm


def open_box() -> QMessageBox | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            return widget
    return None


@asynccontextmanager
async def asking(question: Coroutine[Any, Any, bool]) -> AsyncIterator[QMessageBox]:
    """The confirmation `question` opens; it is answered Cancel on the way out."""
    answer = asyncio.ensure_future(question)
    await wait_until(lambda: open_box() is not None, what="confirmation")
    box = open_box()
    assert isinstance(box, QMessageBox)
    try:
        yield box
    finally:
        box.reject()
        assert await answer is False


def label_showing(box: QMessageBox, text: str) -> QLabel:
    return next(label for label in box.findChildren(QLabel) if label.text() == text)


def wraps(label: QLabel) -> bool:
    """Whether the label at its width is taller than its text on one line."""
    return label.heightForWidth(label.width()) > label.heightForWidth(10_000)


@pytest.mark.asyncio
@pytest.mark.parametrize("key", ["A", "FS_DISCOVERY_APP_TOKEN"])
async def test_the_delete_confirmation_keeps_its_lines_whole(key: str) -> None:
    parent = QWidget()
    parent.show()
    async with asking(confirm_delete(parent, key)) as box:
        cancel = box.button(QMessageBox.StandardButton.Cancel)
        assert [b.text() for b in box.buttons() if b is not cancel] == ["Delete secret"]
        assert not wraps(label_showing(box, f"Delete {key}?"))
        assert not wraps(label_showing(box, "This action can't be undone."))
    parent.close()


@pytest.mark.asyncio
async def test_a_long_explanation_wraps_instead_of_widening_the_box() -> None:
    parent = QWidget()
    parent.show()
    line = "KEY: the value has leading or trailing whitespace, which the build keeps. " * 4
    async with asking(confirm(parent, "Save", "Save anyway?", details=line)) as box:
        details = label_showing(box, line)
        assert wraps(details)
        most = details.fontMetrics().averageCharWidth() * (CONFIRM_LINE_CHARS + 2)
        assert details.width() <= most
    parent.close()
