"""The application icon (resources/icons/app/) on the window, in About and in the system tray."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QImage
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QSystemTrayIcon
from pytestqt.qtbot import QtBot
from test_deployments_notifications import FINISHED

from faststore_desktop.backends import Backends
from faststore_desktop.resources import resource_path
from faststore_desktop.settings import Settings
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.dialogs.about import AboutDialog
from faststore_desktop.ui.icons import APP_ICON_SIZES, app_icon
from faststore_desktop.ui.main_window import MainWindow
from faststore_desktop.ui.notifications import DeploymentNotifier
from faststore_desktop.ui.session import Session


def png(size: int) -> QImage:
    image = QImage(str(resource_path("icons", "app", f"faststore-desktop-{size}.png")))
    assert not image.isNull()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def drawn(icon: QIcon, size: int) -> QImage:
    return (
        icon.pixmap(QSize(size, size), 1.0).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    )


def assert_is_the_app_icon(icon: QIcon) -> None:
    """Every size of the real icon is there, each drawn from its own PNG (not scaled)."""
    assert {size.width() for size in icon.availableSizes()} >= set(APP_ICON_SIZES)
    for size in (16, 48, 256):
        assert drawn(icon, size) == png(size)


def test_the_app_icon_has_every_png_size(qapp: QApplication) -> None:
    assert_is_the_app_icon(app_icon())
    assert not resource_path("icons", "app.svg").exists()  # the placeholder is gone


def test_the_main_window_shows_the_app_icon(qtbot: QtBot, tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.ini")
    context = StoreContext(settings)
    session = Session(context, settings, opener=None, access=Backends(tmp_path / "data"))  # type: ignore[arg-type]
    window = MainWindow(context, session, settings)
    qtbot.addWidget(window)
    assert_is_the_app_icon(window.windowIcon())


def test_about_shows_the_app_icon(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    logo = dialog.findChild(QLabel, "aboutLogo")
    assert logo is not None
    assert logo.pixmap().toImage().convertToFormat(QImage.Format.Format_ARGB32) == png(64)


# Offscreen Qt has no tray; the test pretends there is one, and Qt warns when showing it.
@pytest.mark.qt_log_ignore("systemTrayWindowChanged")
def test_the_tray_icon_made_to_notify_is_the_app_icon(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    window = QMainWindow()
    qtbot.addWidget(window)
    notifier = DeploymentNotifier(lambda: window)
    assert notifier.notify_finished(FINISHED)
    tray = notifier.findChild(QSystemTrayIcon)
    assert tray is not None
    assert_is_the_app_icon(tray.icon())
    tray.hide()
