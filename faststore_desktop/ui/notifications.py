"""A desktop notification when a deployment finishes while the user is in another window.

`FinishedDeployments` notices deployments reaching a final status: on each
`deploymentsChanged` it reads the latest deployments (unfiltered, whatever the Deploys view
shows) and compares them with what it saw before. `DeploymentNotifier` then uses the system
tray's balloon where the desktop has a tray, and otherwise asks the window manager to flag the
window (taskbar flash, dock bounce).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.icons import app_icon
from faststore_desktop.ui.models.deployments import environment_text
from faststore_desktop.ui.view_tasks import OwnedTasks
from faststore_desktop.ui.widgets.status_badge import status_text
from faststore_desktop.webops.errors import WebOpsError
from faststore_desktop.webops.models import (
    Deployment,
    DeploymentQuery,
    DeploymentStatus,
)

#: How many of the latest deployments are compared; more cannot finish between two events.
RECENT = 20
#: Events arriving within this window are checked once.
CHECK_DELAY_MS = 150
#: How long a tray icon made only for notifications stays after the last one.
OWN_TRAY_SECONDS = 60


class FinishedDeployments(QObject):
    """Emits `finished(deployment)` once for each deployment seen reaching a final status."""

    finished = Signal(object)

    def __init__(self, context: StoreContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._tasks = OwnedTasks(self)
        self._seen: dict[str, DeploymentStatus] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self._start_check)
        context.storeChanged.connect(self._on_store_changed)
        context.deploymentsChanged.connect(self._timer.start)
        self._checking: asyncio.Task[None] | None = None

    def _on_store_changed(self) -> None:
        self._tasks.cancel_all()
        self._seen = None
        if self._context.store is not None:
            self._start_check()  # the baseline: what is already finished is not news

    def _start_check(self) -> None:
        if self._checking is not None and not self._checking.done():
            self._timer.start()  # one check at a time; look again once this one is done
            return
        if self._context.store is not None:
            self._checking = self._tasks.spawn(self._check())

    async def _check(self) -> None:
        webops, store = self._context.require()
        generation = self._context.generation
        try:
            page = await webops.list_deployments(store.id, DeploymentQuery(limit=RECENT))
        except WebOpsError:
            return  # a notification is a courtesy; the next event tries again
        if generation != self._context.generation:
            return
        seen, self._seen = self._seen, {d.id: d.status for d in page.items}
        if seen is None:
            return
        for deployment in page.items:
            before = seen.get(deployment.id)
            if deployment.status.finished and (before is None or not before.finished):
                self.finished.emit(deployment)


class DeploymentNotifier(QObject):
    """Notifies about finished deployments unless the app's window has the focus."""

    #: A notification was given: (title, message). Also useful for assistive tools and tests.
    notified = Signal(str, str)
    #: The user clicked the notification of this deployment id.
    activated = Signal(str)

    def __init__(
        self,
        window: Callable[[], QWidget | None],
        parent: QObject | None = None,
        *,
        tray: QSystemTrayIcon | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._tray = tray
        self._last_id = ""
        # A tray icon made only to notify leaves the tray once its message has had its time.
        self._hide_own_tray = QTimer(self)
        self._hide_own_tray.setSingleShot(True)
        self._hide_own_tray.setInterval(OWN_TRAY_SECONDS * 1000)
        if tray is not None:
            tray.messageClicked.connect(self._clicked)

    def notify_finished(self, deployment: Deployment) -> bool:
        """Notify when the window is not focused; returns whether a notification was given."""
        window = self._window()
        if window is not None and window.isActiveWindow():
            return False
        title, message = _words(deployment)
        tray = self._tray_icon()
        if tray is not None:
            self._last_id = deployment.id
            tray.showMessage(title, message, _tray_icon_kind(deployment.status), 8000)
        elif window is not None:
            QApplication.alert(window)
        self.notified.emit(title, message)
        return True

    def _tray_icon(self) -> QSystemTrayIcon | None:
        if self._tray is None and QSystemTrayIcon.isSystemTrayAvailable():
            self._tray = QSystemTrayIcon(app_icon(), self)
            self._tray.setToolTip(QGuiApplication.applicationDisplayName())
            self._tray.messageClicked.connect(self._clicked)
            self._hide_own_tray.timeout.connect(self._tray.hide)
        if self._tray is not None and self._tray.parent() is self:
            self._tray.show()
            self._hide_own_tray.start()
        return self._tray

    def _clicked(self) -> None:
        window = self._window()
        if window is not None:
            window.showNormal()
            window.raise_()
            window.activateWindow()
        if self._last_id:
            self.activated.emit(self._last_id)


_TITLES = {
    DeploymentStatus.SUCCESS: QT_TRANSLATE_NOOP("DeploymentNotifier", "Deployment succeeded"),
    DeploymentStatus.FAILED: QT_TRANSLATE_NOOP("DeploymentNotifier", "Deployment failed"),
    DeploymentStatus.CANCELED: QT_TRANSLATE_NOOP("DeploymentNotifier", "Deployment canceled"),
}


def _words(deployment: Deployment) -> tuple[str, str]:
    known = _TITLES.get(deployment.status)  # only final statuses are notified
    title = (
        QApplication.translate("DeploymentNotifier", str(known))
        if known
        else status_text(deployment.status)
    )
    source = deployment.source
    where = f"{source.commit[:7]} · {source.branch}" if source.commit else source.branch
    message = f"{deployment.id} ({environment_text(deployment.environment)}) — {where}"
    if deployment.error:
        message += "\n" + deployment.error
    return title, message


def _tray_icon_kind(status: DeploymentStatus) -> QSystemTrayIcon.MessageIcon:
    if status is DeploymentStatus.FAILED:
        return QSystemTrayIcon.MessageIcon.Critical
    if status is DeploymentStatus.CANCELED:
        return QSystemTrayIcon.MessageIcon.Warning
    return QSystemTrayIcon.MessageIcon.Information
