"""The Deploy Steps of one deployment: name, status and duration of each."""

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

from faststore_desktop.ui.models.durations import Clock, elapsed_seconds, format_duration, utc_now
from faststore_desktop.ui.widgets.status_badge import status_color, status_icon, status_text
from faststore_desktop.webops.models import DeploymentStatus, StepState

_Index = QModelIndex | QPersistentModelIndex


class StepColumn(enum.IntEnum):
    STEP = 0
    STATUS = 1
    DURATION = 2


_HEADERS = {
    StepColumn.STEP: str(QT_TRANSLATE_NOOP("StepsModel", "Step")),
    StepColumn.STATUS: str(QT_TRANSLATE_NOOP("StepsModel", "Status")),
    StepColumn.DURATION: str(QT_TRANSLATE_NOOP("StepsModel", "Duration")),
}


class StepsModel(QAbstractTableModel):
    """Steps in run order; `set_steps` updates in place while the same steps are shown."""

    #: The `StepState` itself.
    StepRole = Qt.ItemDataRole.UserRole + 1
    #: The step's name (str), the key for following its log.
    NameRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None, *, clock: Clock = utc_now) -> None:
        super().__init__(parent)
        self._steps: list[StepState] = []
        self._clock = clock

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._steps)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(StepColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("StepsModel", _HEADERS[StepColumn(section)])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._steps):
            return None
        step = self._steps[index.row()]
        column = StepColumn(index.column())
        if role == self.StepRole:
            return step
        if role == self.NameRole:
            return step.name
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(step, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return step.error or None
        if column is StepColumn.STATUS:
            if role == Qt.ItemDataRole.DecorationRole:
                return status_icon(step.status)
            if role == Qt.ItemDataRole.ForegroundRole:
                return status_color(step.status)
        if role == Qt.ItemDataRole.TextAlignmentRole and column is StepColumn.DURATION:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def set_steps(self, steps: Sequence[StepState]) -> None:
        if [s.name for s in steps] == [s.name for s in self._steps]:
            for row, new in enumerate(steps):
                if new != self._steps[row]:
                    self._steps[row] = new
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(StepColumn) - 1))
            return
        self.beginResetModel()
        self._steps = list(steps)
        self.endResetModel()

    def tick(self) -> None:
        """Refresh the duration of running steps (call once a second)."""
        for row, step in enumerate(self._steps):
            if step.status is DeploymentStatus.IN_PROGRESS:
                cell = self.index(row, StepColumn.DURATION)
                self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DisplayRole])

    def step(self, row: int) -> StepState:
        return self._steps[row]

    def row_of(self, name: str) -> int | None:
        for row, step in enumerate(self._steps):
            if step.name == name:
                return row
        return None

    def _display(self, step: StepState, column: StepColumn) -> str:
        match column:
            case StepColumn.STEP:
                return step.name
            case StepColumn.STATUS:
                return status_text(step.status)
            case StepColumn.DURATION:
                return format_duration(
                    elapsed_seconds(step.started_at, step.finished_at, self._clock)
                )
