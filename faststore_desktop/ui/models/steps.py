"""The Deploy Steps of one deployment: name, status and duration of each."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt

from faststore_desktop.ui.models.durations import Clock, elapsed_seconds, format_duration, utc_now
from faststore_desktop.ui.models.table import RowListModel, translated
from faststore_desktop.ui.widgets.status_badge import status_color, status_icon, status_text
from faststore_desktop.webops.models import DeploymentStatus, StepState


class StepColumn(enum.IntEnum):
    STEP = 0
    STATUS = 1
    DURATION = 2


_HEADERS = (
    QT_TRANSLATE_NOOP("StepsModel", "Step"),
    QT_TRANSLATE_NOOP("StepsModel", "Status"),
    QT_TRANSLATE_NOOP("StepsModel", "Duration"),
)


class StepsModel(RowListModel[StepState, StepColumn]):
    """Steps in run order; `set_steps` updates in place while the same steps are shown."""

    #: The `StepState` itself.
    StepRole = Qt.ItemDataRole.UserRole + 1
    #: The step's name (str), the key for following its log.
    NameRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None, *, clock: Clock = utc_now) -> None:
        super().__init__(StepColumn, translated("StepsModel", _HEADERS), parent)
        self._clock = clock

    def cell(self, step: StepState, column: StepColumn, role: int) -> Any:
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
        if [s.name for s in steps] == [s.name for s in self._rows]:
            for row, new in enumerate(steps):
                self.replace_row(row, new)
        else:
            self.reset_rows(steps)

    def tick(self) -> None:
        """Refresh the duration of running steps (call once a second)."""
        self.column_changed(
            StepColumn.DURATION, lambda step: step.status is DeploymentStatus.IN_PROGRESS
        )

    def step(self, row: int) -> StepState:
        return self._rows[row]

    def row_of(self, name: str) -> int | None:
        for row, step in enumerate(self._rows):
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
