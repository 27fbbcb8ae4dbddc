"""The lower half of the Deploys view: one deployment's steps, the live log of a step, and the
keys it was built with; `Rerun this deployment` and `Cancel`.
"""

from __future__ import annotations

import asyncio
import html

from PySide6.QtCore import QItemSelection, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from faststore_desktop.ui.models.deployments import environment_text, source_text
from faststore_desktop.ui.models.durations import elapsed_seconds, format_duration, format_moment
from faststore_desktop.ui.models.snapshot import SnapshotColumn, SnapshotModel
from faststore_desktop.ui.models.steps import StepColumn, StepsModel
from faststore_desktop.ui.view_tasks import OwnedTasks
from faststore_desktop.ui.widgets.log_view import LogView
from faststore_desktop.ui.widgets.read_only_table import read_only_table
from faststore_desktop.ui.widgets.status_badge import StatusBadge, status_color
from faststore_desktop.webops.errors import WebOpsError
from faststore_desktop.webops.models import Deployment, DeploymentStatus, StepState
from faststore_desktop.webops.protocol import WebOps


class StepLogFollower(QObject):
    """Streams one step's log into a LogView, resuming where it stopped.

    `follow_log` ends when the step finishes (or, for a step not started yet, may end at once);
    `resume` restarts it from the last line received when the step turns out to have more.
    """

    #: The log could not be read: a user-facing message.
    failed = Signal(str)

    def __init__(self, log_view: LogView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._log = log_view
        self._target: tuple[str, str, str] | None = None
        self._webops: WebOps | None = None
        self._offset = 0
        self._task: asyncio.Task[None] | None = None
        self._tasks = OwnedTasks(self)

    @property
    def target(self) -> tuple[str, str, str] | None:
        """(store id, deployment id, step) being shown."""
        return self._target

    @property
    def streaming(self) -> bool:
        return self._task is not None and not self._task.done()

    def follow(self, webops: WebOps, store_id: str, deployment_id: str, step: str) -> None:
        target = (store_id, deployment_id, step)
        if target == self._target and webops is self._webops:
            return
        self.stop()
        self._log.clear()
        self._webops, self._target, self._offset = webops, target, 0
        self._start()

    def resume(self, step: StepState) -> None:
        """Restart following if the step may still write lines we have not seen."""
        if self._target is None or self.streaming or step.name != self._target[2]:
            return
        if not step.status.finished or step.log_lines > self._offset:
            self._start()

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._target = None
        self._webops = None

    def _start(self) -> None:
        assert self._webops is not None and self._target is not None
        self._task = self._tasks.spawn(self._run(self._webops, self._target))

    async def _run(self, webops: WebOps, target: tuple[str, str, str]) -> None:
        store_id, deployment_id, step = target
        try:
            async for line in webops.follow_log(store_id, deployment_id, step, offset=self._offset):
                if target != self._target:
                    return
                if line.offset < self._offset:
                    continue  # already shown (a resumed stream may repeat its first line)
                self._offset = line.offset + 1
                self._log.append_line(line.text, line.stream)
        except WebOpsError as error:
            if target == self._target:
                self.failed.emit(error.message)


class DeploymentDetails(QWidget):
    """Shows one deployment; the owner feeds it with `show_deployment` as it changes."""

    rerunRequested = Signal(str)
    cancelRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._deployment: Deployment | None = None
        self._webops: WebOps | None = None
        self._step_chosen_by_user = False
        self._selecting_step = False

        self._badge = StatusBadge(parent=self)
        self._title = _selectable_label("deploymentTitle", self)
        self._summary = _selectable_label("deploymentSummary", self)
        self._error = _selectable_label("deploymentError", self)
        self._rerun = QPushButton(self.tr("Rerun this deployment"), self)
        self._rerun.setObjectName("rerunDeployment")
        self._rerun.setToolTip(self.tr("Build this deployment's source again with its variables"))
        self._rerun.clicked.connect(self._ask_rerun)
        self._cancel = QPushButton(self.tr("Cancel"), self)
        self._cancel.setObjectName("cancelDeployment")
        self._cancel.setToolTip(self.tr("Stop this deployment"))
        self._cancel.clicked.connect(self._ask_cancel)

        self._steps_model = StepsModel(self)
        self._steps = read_only_table(
            "deploySteps",
            self.tr("Deploy Steps"),
            self._steps_model,
            self,
            stretch_column=StepColumn.STEP,
        )
        self._steps.selectionModel().selectionChanged.connect(self._on_step_selected)

        self.log_view = LogView(self)
        self._follower = StepLogFollower(self.log_view, self)
        self._follower.failed.connect(self._show_log_problem)

        self._snapshot_model = SnapshotModel(self)
        self._snapshot = read_only_table(
            "deploymentKeys",
            self.tr("Keys this deployment was built with"),
            self._snapshot_model,
            self,
            stretch_column=SnapshotColumn.KEY,
        )
        self._tabs = QTabWidget(self)
        self._tabs.setDocumentMode(True)
        self._tabs.addTab(self.log_view, self.tr("Log"))
        self._tabs.addTab(self._snapshot, self.tr("Keys"))

        self._stack = QStackedWidget(self)
        empty = QLabel(self.tr("Select a deployment to see its steps, log and keys."), self)
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty.setEnabled(False)
        self._stack.addWidget(empty)
        self._stack.addWidget(self._build_page())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)

    def _build_page(self) -> QWidget:
        steps_box = QWidget(self)
        steps_layout = QVBoxLayout(steps_box)
        steps_layout.setContentsMargins(0, 0, 0, 0)
        steps_title = QLabel(self.tr("Deploy Steps"), steps_box)
        steps_title.setBuddy(self._steps)
        steps_layout.addWidget(steps_title)
        steps_layout.addWidget(self._steps)

        body = self.steps_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        body.setObjectName("stepsSplitter")
        body.setChildrenCollapsible(False)
        body.addWidget(steps_box)
        body.addWidget(self._tabs)
        body.setStretchFactor(0, 1)
        body.setStretchFactor(1, 3)
        body.setSizes([300, 740])  # "Leak scan" and the header titles fit

        header = QHBoxLayout()
        header.addWidget(self._badge)
        header.addWidget(self._title, 1)
        header.addWidget(self._rerun)
        header.addWidget(self._cancel)

        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self._summary)
        layout.addWidget(self._error)
        layout.addWidget(body, 1)
        return page

    # -- feeding ---------------------------------------------------------------------------------
    @property
    def deployment(self) -> Deployment | None:
        return self._deployment

    @property
    def follower(self) -> StepLogFollower:
        return self._follower

    @property
    def steps_model(self) -> StepsModel:
        return self._steps_model

    @property
    def snapshot_model(self) -> SnapshotModel:
        return self._snapshot_model

    def show_deployment(self, webops: WebOps, deployment: Deployment) -> None:
        """Show `deployment`, or refresh it when it is the one shown; keeps the log streaming."""
        same = self._deployment is not None and self._deployment.id == deployment.id
        if not same:
            self._step_chosen_by_user = False
        self._deployment, self._webops = deployment, webops
        self._stack.setCurrentIndex(1)
        self._badge.set_status(deployment.status)
        self._fill_header(deployment)
        self._rerun.setEnabled(deployment.status.finished)
        self._cancel.setEnabled(not deployment.status.finished)
        self._steps_model.set_steps(deployment.steps)
        self._snapshot_model.set_entries(deployment.snapshot)
        self._tabs.setTabText(1, self._keys_tab_title())
        self._select_step(self._step_to_show(deployment))
        current = self._current_step()
        if current is not None:
            self._follower.resume(current)

    def clear(self) -> None:
        self._follower.stop()
        self.log_view.clear()
        self._deployment = self._webops = None
        self._steps_model.set_steps([])
        self._snapshot_model.set_entries([])
        self._stack.setCurrentIndex(0)

    def select_step(self, name: str) -> None:
        """Show the log of step `name` (as if the user clicked it)."""
        self._step_chosen_by_user = True
        self._select_step(name)

    def find_in_log(self) -> bool:
        """Open the find bar of the log shown (the Log tab comes to the front); False when no
        deployment is shown."""
        if self._deployment is None:
            return False
        self._tabs.setCurrentWidget(self.log_view)
        self.log_view.open_find()
        return True

    def tick(self) -> None:
        self._steps_model.tick()
        if self._deployment is not None and self._deployment.status is DeploymentStatus.IN_PROGRESS:
            self._fill_header(self._deployment)

    # -- internals -------------------------------------------------------------------------------
    def _fill_header(self, deployment: Deployment) -> None:
        source = deployment.source
        environment = environment_text(deployment.environment)
        self._title.setText(
            f"<b>{html.escape(deployment.id)}</b> · {html.escape(environment)}"
            f" · <code>{html.escape(source_text(deployment))}</code>"
        )
        elapsed = format_duration(elapsed_seconds(deployment.started_at, deployment.finished_at))
        parts = [
            self.tr("“{message}” by {author}").format(
                message=source.message or self.tr("(no commit message)"),
                author=source.author or self.tr("unknown"),
            ),
            self.tr("deployed by {who} on {when}").format(
                who=deployment.author, when=format_moment(deployment.created_at)
            ),
            self.tr("elapsed {elapsed}").format(elapsed=elapsed),
        ]
        if deployment.reason:
            parts.append(self.tr("reason: {reason}").format(reason=deployment.reason))
        if deployment.rerun_of:
            parts.append(self.tr("rerun of {id}").format(id=deployment.rerun_of))
        self._summary.setText(" · ".join(parts))
        self._error.setVisible(bool(deployment.error))
        self._error.setText(deployment.error)
        colour = status_color(DeploymentStatus.FAILED, self.palette()).name()
        self._error.setStyleSheet(f"color: {colour};")

    def _keys_tab_title(self) -> str:
        total = self._snapshot_model.rowCount()
        new = self._snapshot_model.new_count
        if new:
            return self.tr("Keys ({total}, {new} new)").format(total=total, new=new)
        return self.tr("Keys ({total})").format(total=total)

    def _step_to_show(self, deployment: Deployment) -> str | None:
        """The user's choice; else the step running, failed or canceled; else the first one."""
        current = self._current_step()
        if self._step_chosen_by_user and current is not None:
            return current.name
        for wanted in (
            DeploymentStatus.IN_PROGRESS,
            DeploymentStatus.FAILED,
            DeploymentStatus.CANCELED,
        ):
            for step in deployment.steps:
                if step.status is wanted:
                    return step.name
        return deployment.steps[0].name if deployment.steps else None

    def _current_step(self) -> StepState | None:
        rows = self._steps.selectionModel().selectedRows()
        return self._steps_model.step(rows[0].row()) if rows else None

    def _select_step(self, name: str | None) -> None:
        row = self._steps_model.row_of(name) if name is not None else None
        if row is None:
            return
        current = self._current_step()
        if current is not None and current.name == name:
            self._follow_current()
            return
        self._selecting_step = True
        try:
            self._steps.selectRow(row)  # -> _on_step_selected
        finally:
            self._selecting_step = False

    def _on_step_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        if selected.indexes() and not self._selecting_step:
            self._step_chosen_by_user = True  # from now on, keep showing the user's choice
        self._follow_current()

    def _follow_current(self) -> None:
        step = self._current_step()
        if step is None or self._deployment is None or self._webops is None:
            return
        deployment = self._deployment
        self._follower.follow(self._webops, deployment.store_id, deployment.id, step.name)

    def _show_log_problem(self, message: str) -> None:
        self.log_view.append_line(self.tr("— The log could not be read: {}").format(message))

    def _ask_rerun(self) -> None:
        if self._deployment is not None:
            self.rerunRequested.emit(self._deployment.id)

    def _ask_cancel(self) -> None:
        if self._deployment is not None:
            self.cancelRequested.emit(self._deployment.id)


def _selectable_label(name: str, parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
