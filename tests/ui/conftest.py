"""Fixtures of the UI tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from faststore_desktop.ui.icons import style_sheet


@pytest.fixture
def styled(qapp: QApplication) -> Iterator[None]:
    """The app's style sheet and a common locale, as a user in the US would see the app."""
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    qapp.setStyleSheet(style_sheet("app"))
    yield
    qapp.setStyleSheet("")
    QLocale.setDefault(previous)
