"""The Deploys table: one row per deployment, newest or oldest first as the server sorted them."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from faststore_desktop.ui.models.durations import (
    Clock,
    elapsed_seconds,
    format_duration,
    format_moment,
    format_moment_long,
    utc_now,
)
from faststore_desktop.ui.widgets.status_badge import status_color, status_icon, status_text
from faststore_desktop.webops.models import Deployment, DeploymentStatus, Environment

_Index = QModelIndex | QPersistentModelIndex


class DeploymentColumn(enum.IntEnum):
    STATUS = 0
    ID = 1
    SOURCE = 2
    AUTHOR = 3
    ENVIRONMENT = 4
    CREATED = 5
    ELAPSED = 6


_HEADERS = {
    DeploymentColumn.STATUS: str(QT_TRANSLATE_NOOP("DeploymentsModel", "Status")),
    DeploymentColumn.ID: str(QT_TRANSLATE_NOOP("DeploymentsModel", "Deploy ID")),
    DeploymentColumn.SOURCE: str(QT_TRANSLATE_NOOP("DeploymentsModel", "Source")),
    DeploymentColumn.AUTHOR: str(QT_TRANSLATE_NOOP("DeploymentsModel", "Author")),
    DeploymentColumn.ENVIRONMENT: str(QT_TRANSLATE_NOOP("DeploymentsModel", "Environment")),
    DeploymentColumn.CREATED: str(QT_TRANSLATE_NOOP("DeploymentsModel", "Created")),
    DeploymentColumn.ELAPSED: str(QT_TRANSLATE_NOOP("DeploymentsModel", "Elapsed")),
}

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


class DeploymentsModel(QAbstractTableModel):
    """Deployments in server order; `refresh` updates rows in place so selection survives."""

    #: The `Deployment` itself.
    DeploymentRole = Qt.ItemDataRole.UserRole + 1
    #: Its id (str).
    IdRole = Qt.ItemDataRole.UserRole + 2
    #: Its `DeploymentStatus`.
    StatusRole = Qt.ItemDataRole.UserRole + 3

    def __init__(self, parent: QObject | None = None, *, clock: Clock = utc_now) -> None:
        super().__init__(parent)
        self._items: list[Deployment] = []
        self._clock = clock

    # -- Qt model API ----------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(DeploymentColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(
                "DeploymentsModel", _HEADERS[DeploymentColumn(section)]
            )
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        deployment = self._items[index.row()]
        if role == self.DeploymentRole:
            return deployment
        if role == self.IdRole:
            return deployment.id
        if role == self.StatusRole:
            return deployment.status
        column = DeploymentColumn(index.column())
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
        old_ids = {d.id for d in self._items}
        # A first load resets: views size their columns to the contents on a reset.
        if not old_ids & new_ids or [d.id for d in items if d.id in old_ids] != [
            d.id for d in self._items if d.id in new_ids
        ]:
            self.beginResetModel()
            self._items = list(items)
            self.endResetModel()
            return
        for row in reversed(range(len(self._items))):
            if self._items[row].id not in new_ids:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._items[row]
                self.endRemoveRows()
        for row, deployment in enumerate(items):
            if row < len(self._items) and self._items[row].id == deployment.id:
                self.update_deployment(deployment)
            else:  # not listed before: the common ones are in place up to this row
                self.beginInsertRows(QModelIndex(), row, row)
                self._items.insert(row, deployment)
                self.endInsertRows()

    def append_deployments(self, items: Sequence[Deployment]) -> None:
        """Add the next page; deployments already listed (the list moved meanwhile) are skipped."""
        known = {d.id for d in self._items}
        fresh = [d for d in items if d.id not in known]
        if not fresh:
            return
        first = len(self._items)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        self._items.extend(fresh)
        self.endInsertRows()

    def update_deployment(self, deployment: Deployment) -> None:
        row = self.row_of(deployment.id)
        if row is not None and self._items[row] != deployment:
            self._items[row] = deployment
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(DeploymentColumn) - 1))

    def tick(self) -> None:
        """Refresh the Elapsed column of running deployments (call once a second)."""
        for row, deployment in enumerate(self._items):
            if deployment.status in _RUNNING:
                cell = self.index(row, DeploymentColumn.ELAPSED)
                self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DisplayRole])

    # -- reading ---------------------------------------------------------------------------------
    @property
    def has_running(self) -> bool:
        return any(d.status in _RUNNING for d in self._items)

    def deployment(self, row: int) -> Deployment:
        return self._items[row]

    def deployments(self) -> tuple[Deployment, ...]:
        return tuple(self._items)

    def row_of(self, deployment_id: str) -> int | None:
        for row, deployment in enumerate(self._items):
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
