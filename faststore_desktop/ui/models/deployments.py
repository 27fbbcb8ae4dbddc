"""The Deploys table: one row per deployment, newest or oldest first as the server sorted them."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt

from faststore_desktop.ui.models.durations import (
    Clock,
    elapsed_seconds,
    format_duration,
    format_moment,
    format_moment_long,
    utc_now,
)
from faststore_desktop.ui.models.table import RowListModel, translated
from faststore_desktop.ui.widgets.status_badge import status_color, status_icon, status_text
from faststore_desktop.webops.models import Deployment, DeploymentStatus, Environment


class DeploymentColumn(enum.IntEnum):
    STATUS = 0
    ID = 1
    SOURCE = 2
    AUTHOR = 3
    ENVIRONMENT = 4
    CREATED = 5
    ELAPSED = 6


_HEADERS = (
    QT_TRANSLATE_NOOP("DeploymentsModel", "Status"),
    QT_TRANSLATE_NOOP("DeploymentsModel", "Deploy ID"),
    QT_TRANSLATE_NOOP("DeploymentsModel", "Source"),
    QT_TRANSLATE_NOOP("DeploymentsModel", "Author"),
    QT_TRANSLATE_NOOP("DeploymentsModel", "Environment"),
    QT_TRANSLATE_NOOP("DeploymentsModel", "Created"),
    QT_TRANSLATE_NOOP("DeploymentsModel", "Elapsed"),
)

_RUNNING = {DeploymentStatus.IN_PROGRESS}

_ENVIRONMENTS = {
    Environment.PRODUCTION: str(QT_TRANSLATE_NOOP("Environment", "Production")),
    Environment.PREVIEW: str(QT_TRANSLATE_NOOP("Environment", "Preview")),
}


def environment_text(environment: Environment) -> str:
    return QCoreApplication.translate("Environment", _ENVIRONMENTS[environment])


def short_commit(commit: str) -> str:
    return commit[:7]


def source_text(deployment: Deployment) -> str:
    """'1a2b3c4 · main', or just the branch when the store folder is not a git repository."""
    commit = short_commit(deployment.source.commit)
    return f"{commit} · {deployment.source.branch}" if commit else deployment.source.branch


def source_cell_text(deployment: Deployment) -> str:
    """The source and the first line of its commit message, as the table shows it."""
    subject = deployment.source.message.strip().partition("\n")[0]
    return f"{source_text(deployment)} — {subject}" if subject else source_text(deployment)


class DeploymentsModel(RowListModel[Deployment, DeploymentColumn]):
    """Deployments in server order; `refresh` updates rows in place so selection survives."""

    #: The `Deployment` itself.
    DeploymentRole = Qt.ItemDataRole.UserRole + 1
    #: Its id (str).
    IdRole = Qt.ItemDataRole.UserRole + 2
    #: Its `DeploymentStatus`.
    StatusRole = Qt.ItemDataRole.UserRole + 3

    def __init__(self, parent: QObject | None = None, *, clock: Clock = utc_now) -> None:
        super().__init__(DeploymentColumn, translated("DeploymentsModel", _HEADERS), parent)
        self._clock = clock

    def cell(self, deployment: Deployment, column: DeploymentColumn, role: int) -> Any:
        if role == self.DeploymentRole:
            return deployment
        if role == self.IdRole:
            return deployment.id
        if role == self.StatusRole:
            return deployment.status
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(deployment, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(deployment, column)
        if column is DeploymentColumn.STATUS:
            if role == Qt.ItemDataRole.DecorationRole:
                return status_icon(deployment.status)
            if role == Qt.ItemDataRole.ForegroundRole:
                return status_color(deployment.status)
        if role == Qt.ItemDataRole.TextAlignmentRole and column is DeploymentColumn.ELAPSED:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # -- feeding ---------------------------------------------------------------------------------
    def set_deployments(self, items: Sequence[Deployment]) -> None:
        """Show `items` as rows inserted, removed and changed, so the selection survives.

        The server sorts by creation time, so deployments present before and after keep their
        relative order; should they not, the model resets.
        """
        new_ids = {d.id for d in items}
        old_ids = {d.id for d in self._rows}
        # A first load resets: views size their columns to the contents on a reset.
        if not old_ids & new_ids or [d.id for d in items if d.id in old_ids] != [
            d.id for d in self._rows if d.id in new_ids
        ]:
            self.reset_rows(items)
            return
        for row in reversed(range(len(self._rows))):
            if self._rows[row].id not in new_ids:
                self.remove_row(row)
        for row, deployment in enumerate(items):
            if row < len(self._rows) and self._rows[row].id == deployment.id:
                self.replace_row(row, deployment)
            else:  # not listed before: the common ones are in place up to this row
                self.insert_rows(row, [deployment])

    def append_deployments(self, items: Sequence[Deployment]) -> None:
        """Add the next page; deployments already listed (the list moved meanwhile) are skipped."""
        known = {d.id for d in self._rows}
        self.append_rows([d for d in items if d.id not in known])

    def update_deployment(self, deployment: Deployment) -> None:
        row = self.row_of(deployment.id)
        if row is not None:
            self.replace_row(row, deployment)

    def tick(self) -> None:
        """Refresh the Elapsed column of running deployments (call once a second)."""
        self.column_changed(DeploymentColumn.ELAPSED, lambda d: d.status in _RUNNING)

    # -- reading ---------------------------------------------------------------------------------
    @property
    def has_running(self) -> bool:
        return any(d.status in _RUNNING for d in self._rows)

    def deployment(self, row: int) -> Deployment:
        return self._rows[row]

    def deployments(self) -> tuple[Deployment, ...]:
        return tuple(self._rows)

    def row_of(self, deployment_id: str) -> int | None:
        for row, deployment in enumerate(self._rows):
            if deployment.id == deployment_id:
                return row
        return None

    # -- cells -----------------------------------------------------------------------------------
    def _display(self, deployment: Deployment, column: DeploymentColumn) -> str:
        match column:
            case DeploymentColumn.STATUS:
                return status_text(deployment.status)
            case DeploymentColumn.ID:
                return deployment.id
            case DeploymentColumn.SOURCE:
                return source_cell_text(deployment)
            case DeploymentColumn.AUTHOR:
                return deployment.author
            case DeploymentColumn.ENVIRONMENT:
                return environment_text(deployment.environment)
            case DeploymentColumn.CREATED:
                return format_moment(deployment.created_at)
            case DeploymentColumn.ELAPSED:
                seconds = elapsed_seconds(
                    deployment.started_at, deployment.finished_at, self._clock
                )
                return format_duration(seconds)

    def _tooltip(self, deployment: Deployment, column: DeploymentColumn) -> str | None:
        match column:
            case DeploymentColumn.STATUS:
                return deployment.error or status_text(deployment.status)
            case DeploymentColumn.SOURCE:
                source = deployment.source
                return "\n".join(
                    part
                    for part in (
                        source.commit,
                        source.message,
                        source.author and f"— {source.author}",
                    )
                    if part
                )
            case DeploymentColumn.CREATED:
                return format_moment_long(deployment.created_at)
            case _:
                return None
