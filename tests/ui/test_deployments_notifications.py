"""A notification when a deployment finishes while the window is not focused."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from async_support import wait_for, wait_until
from deploys_support import Embedded, finish
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMainWindow, QSystemTrayIcon, QWidget
from pytestqt.qtbot import QtBot

from faststore_desktop.settings import LOCAL_CONNECTION_ID
from faststore_desktop.ui.notifications import DeploymentNotifier, FinishedDeployments
from faststore_desktop.ui.store_watcher import StoreWatcher
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


class RecordingTray(QSystemTrayIcon):
    """The system tray at the edge: offscreen Qt has none, so the balloons are recorded."""

    def __init__(self) -> None:
        super().__init__(QIcon())
        self.balloons: list[tuple[str, str, QSystemTrayIcon.MessageIcon]] = []

    def showMessage(self, title: str, message: str, icon: object, msecs: int = 10000) -> None:  # type: ignore[override]
        assert isinstance(icon, QSystemTrayIcon.MessageIcon)
        self.balloons.append((title, message, icon))


def focus(qtbot: QtBot, window: QWidget) -> None:
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()


SUCCEEDED = dataclasses.replace(
    FINISHED,
    id="dpl_0043",
    status=DeploymentStatus.SUCCESS,
    error="",
    environment=Environment.PREVIEW,
    source=Source("1a2b3c4d5e6f", "feature/checkout", "Ana Souza", "Checkout copy"),
)


@pytest.mark.parametrize(
    ("deployment", "title", "kind", "lines"),
    [
        (
            FINISHED,
            "Deployment failed",
            QSystemTrayIcon.MessageIcon.Critical,
            [
                "dpl_0042 (Production) — 9f8e7d6 · main",
                "Build failed: FS_DISCOVERY_APP_KEY is missing",
            ],
        ),
        (
            SUCCEEDED,
            "Deployment succeeded",
            QSystemTrayIcon.MessageIcon.Information,
            ["dpl_0043 (Preview) — 1a2b3c4 · feature/checkout"],
        ),
    ],
    ids=["failed", "success"],
)
def test_a_tray_balloon_only_while_the_user_is_in_another_window(
    qtbot: QtBot,
    deployment: Deployment,
    title: str,
    kind: QSystemTrayIcon.MessageIcon,
    lines: list[str],
) -> None:
    window, elsewhere = QMainWindow(), QMainWindow()
    qtbot.addWidget(window)
    qtbot.addWidget(elsewhere)
    tray = RecordingTray()
    notifier = DeploymentNotifier(lambda: window, tray=tray)

    focus(qtbot, window)  # the user watches it finish: nothing to tell
    assert not notifier.notify_finished(deployment)
    assert tray.balloons == []

    focus(qtbot, elsewhere)  # the user works in another window
    assert notifier.notify_finished(deployment)
    assert len(tray.balloons) == 1
    shown_title, message, icon = tray.balloons[0]
    assert (shown_title, icon) == (title, kind)
    assert message.splitlines() == lines


def test_without_a_tray_the_window_asks_for_attention(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    alerts: list[QWidget] = []
    monkeypatch.setattr(QApplication, "alert", staticmethod(lambda w, _ms=0: alerts.append(w)))
    window, elsewhere = QMainWindow(), QMainWindow()
    qtbot.addWidget(window)
    qtbot.addWidget(elsewhere)
    window.show()
    focus(qtbot, elsewhere)
    notifier = DeploymentNotifier(lambda: window)
    assert notifier.notify_finished(SUCCEEDED)
    assert alerts == [window]  # a taskbar flash or a dock bounce, and no tray icon made
    assert notifier.findChild(QSystemTrayIcon) is None


async def until_finished(embedded: Embedded, deployment_id: str) -> None:
    await wait_for(
        lambda: embedded.webops.get_deployment(embedded.store.id, deployment_id),
        lambda deployment: deployment.status.finished,
        what=f"{deployment_id} to finish",
    )


@pytest.mark.asyncio
async def test_each_deployment_finishing_in_the_background_is_notified_once(
    qtbot: QtBot, embedded: Embedded
) -> None:
    context, webops, store_id = embedded.context, embedded.webops, embedded.store.id
    window = QMainWindow()  # the app's window, not focused: the user is in another one
    qtbot.addWidget(window)
    window.show()
    StoreWatcher(context, window)
    finished = FinishedDeployments(context, window)
    notifier = DeploymentNotifier(lambda: window, window)
    finished.finished.connect(notifier.notify_finished)
    given: list[tuple[str, str]] = []
    notifier.notified.connect(lambda title, message: given.append((title, message)))

    elsewhere = QMainWindow()  # the window the user works in
    qtbot.addWidget(elsewhere)
    elsewhere.show()
    with qtbot.waitActive(elsewhere):
        elsewhere.activateWindow()

    earlier = await webops.create_deployment(store_id, "before the app was watching")
    await until_finished(embedded, earlier.id)
    context.set_store(
        webops, embedded.store, "This computer", LOCAL_CONNECTION_ID
    )  # it finished before: not news

    key = await webops.get_entry(store_id, "FS_DISCOVERY_APP_KEY")
    await webops.delete_entry(store_id, key.key, expected_version=key.version)
    failing = await webops.create_deployment(store_id, "Redeploying with secret changes")
    await wait_until(lambda: any(failing.id in message for _, message in given), what="it")
    await until_finished(embedded, failing.id)
    second = await webops.create_deployment(store_id, "the same, once more")
    await wait_until(lambda: any(second.id in message for _, message in given), what="second")
    assert [title for title, _ in given] == ["Deployment failed", "Deployment failed"]
    assert given[0][1].splitlines()[1].startswith("Build")  # why it failed
    await finish(embedded)
