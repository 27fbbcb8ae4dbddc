"""A notification when a deployment finishes while the window is not focused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QMainWindow, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from faststore_desktop.ui.notifications import DeploymentNotifier
from faststore_desktop.webops.models import Deployment, DeploymentStatus, Environment, Source

FINISHED = Deployment(
    id="dpl_0042",
    store_id="store",
    status=DeploymentStatus.FAILED,
    environment=Environment.PRODUCTION,
    source=Source("9f8e7d6c5b4a", "main", "Ana Souza", "Checkout copy"),
    author="ana",
    reason="Redeploying with secret changes",
    created_at=datetime(2026, 11, 26, 14, 0, tzinfo=UTC),
    error="Build failed: FS_DISCOVERY_APP_KEY is missing",
)


def test_notifies_only_while_the_window_is_not_focused(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    notifier = DeploymentNotifier(lambda: window)
    given: list[tuple[str, str]] = []
    notifier.notified.connect(lambda title, message: given.append((title, message)))

    assert not window.isActiveWindow()
    assert notifier.notify_finished(FINISHED)
    title, message = given[-1]
    assert title == "Deployment failed"
    assert "dpl_0042" in message and "9f8e7d6 · main" in message
    assert "FS_DISCOVERY_APP_KEY is missing" in message

    with qtbot.waitActive(window):
        window.activateWindow()
    assert not notifier.notify_finished(FINISHED)
    assert len(given) == 1


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen platform
def test_uses_the_tray_balloon_when_there_is_a_tray(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    tray = QSystemTrayIcon()
    shown: list[str] = []
    notifier = DeploymentNotifier(lambda: window, tray=tray)
    notifier.activated.connect(shown.append)
    assert notifier.notify_finished(FINISHED)
    tray.messageClicked.emit()  # the user clicks the balloon: back to that deployment
    assert shown == ["dpl_0042"]
