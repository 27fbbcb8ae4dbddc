"""The Deploys table, steps and snapshot models: Qt model rules and what each cell shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from faststore_desktop.core.entries import EntryType
from faststore_desktop.ui.models.deployments import DeploymentColumn, DeploymentsModel
from faststore_desktop.ui.models.snapshot import SnapshotColumn, SnapshotModel
from faststore_desktop.ui.models.steps import StepColumn, StepsModel
from faststore_desktop.ui.widgets.status_badge import status_color
from faststore_desktop.webops.models import (
    Deployment,
    DeploymentStatus,
    Environment,
    SnapshotEntry,
    Source,
    StepState,
)

T0 = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)

# Icons and fonts need a QApplication.
pytestmark = pytest.mark.usefixtures("qapp")


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def deployment(
    number: int,
    status: DeploymentStatus = DeploymentStatus.SUCCESS,
    *,
    started: timedelta | None = timedelta(seconds=5),
    took: timedelta | None = timedelta(seconds=65),
) -> Deployment:
    created = T0 + timedelta(minutes=number)
    started_at = created + started if started is not None else None
    finished_at = started_at + took if started_at is not None and took is not None else None
    return Deployment(
        id=f"dpl_{number:04d}",
        store_id="store",
        status=status,
        environment=Environment.PRODUCTION if number % 2 else Environment.PREVIEW,
        source=Source(
            commit=f"{number:02d}c0ffee1234567890",
            branch="main" if number % 2 else "feature/checkout",
            author="Ana Souza",
            message=f"Change {number}",
        ),
        author="ana",
        reason="Redeploying with secret changes",
        created_at=created,
        started_at=started_at,
        finished_at=finished_at,
    )


def test_deployments_model_passes_qt_model_checks(qtmodeltester: ModelTester) -> None:
    model = DeploymentsModel()
    model.set_deployments([deployment(i) for i in range(5)])
    qtmodeltester.check(model, force_py=True)
    model.append_deployments([deployment(i) for i in range(3, 9)])
    model.set_deployments([deployment(9), deployment(8)])
    model.update_deployment(deployment(9, DeploymentStatus.FAILED))
    qtmodeltester.check(model, force_py=True)


def test_deployment_cells_show_status_source_environment_and_elapsed() -> None:
    model = DeploymentsModel(clock=FixedClock(T0 + timedelta(hours=1)))
    model.set_deployments([deployment(3, DeploymentStatus.FAILED)])

    def cell(column: DeploymentColumn, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        return model.data(model.index(0, column), role)

    assert cell(DeploymentColumn.STATUS) == "Failed"
    assert cell(DeploymentColumn.STATUS, Qt.ItemDataRole.ForegroundRole) == status_color(
        DeploymentStatus.FAILED
    )
    assert cell(DeploymentColumn.STATUS, Qt.ItemDataRole.DecorationRole) is not None
    assert cell(DeploymentColumn.ID) == "dpl_0003"
    assert cell(DeploymentColumn.SOURCE) == "03c0ffe · main — Change 3"
    assert "Change 3" in str(cell(DeploymentColumn.SOURCE, Qt.ItemDataRole.ToolTipRole))
    assert cell(DeploymentColumn.AUTHOR) == "ana"
    assert cell(DeploymentColumn.ENVIRONMENT) == "Production"
    assert cell(DeploymentColumn.ELAPSED) == "1m 05s"
    assert cell(0, DeploymentsModel.IdRole) == "dpl_0003"
    assert cell(0, DeploymentsModel.StatusRole) is DeploymentStatus.FAILED


def test_elapsed_ticks_while_running_and_is_a_dash_while_queued() -> None:
    clock = FixedClock(T0 + timedelta(minutes=1, seconds=15))
    model = DeploymentsModel(clock=clock)
    running = deployment(1, DeploymentStatus.IN_PROGRESS, took=None)
    queued = deployment(2, DeploymentStatus.QUEUED, started=None)
    model.set_deployments([running, queued])
    elapsed = model.index(0, DeploymentColumn.ELAPSED)
    assert model.has_running
    assert model.data(elapsed) == "10s"
    assert model.data(model.index(1, DeploymentColumn.ELAPSED)) == "—"

    changed: list[int] = []
    model.dataChanged.connect(lambda top, _bottom, _roles: changed.append(top.row()))
    clock.now += timedelta(minutes=2)
    model.tick()
    assert changed == [0]  # only the running row repaints
    assert model.data(elapsed) == "2m 10s"


def test_refreshing_updates_rows_in_place_and_inserts_new_ones_without_a_reset(
    qtmodeltester: ModelTester,
) -> None:
    model = DeploymentsModel()
    qtmodeltester.check(model, force_py=True)
    model.set_deployments([deployment(2, DeploymentStatus.IN_PROGRESS), deployment(1)])
    resets: list[bool] = []
    inserted: list[int] = []
    removed: list[int] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.rowsInserted.connect(lambda _parent, first, _last: inserted.append(first))
    model.rowsRemoved.connect(lambda _parent, first, _last: removed.append(first))

    model.set_deployments([deployment(2, DeploymentStatus.SUCCESS), deployment(1)])
    assert model.data(model.index(0, DeploymentColumn.STATUS)) == "Success"

    model.set_deployments([deployment(4), deployment(3), deployment(2)])
    assert (inserted, removed) == ([0, 1], [1])
    assert [model.data(model.index(r, DeploymentColumn.ID)) for r in range(3)] == [
        "dpl_0004",
        "dpl_0003",
        "dpl_0002",
    ]
    assert not resets
    model.set_deployments([deployment(2), deployment(4)])  # order changed: a reset
    assert resets == [True]
    assert model.row_of("dpl_0004") == 1


def test_steps_model_shows_each_step_status_and_duration(qtmodeltester: ModelTester) -> None:
    clock = FixedClock(T0 + timedelta(seconds=42))
    model = StepsModel(clock=clock)
    steps = [
        StepState("install", DeploymentStatus.SUCCESS, T0, T0 + timedelta(seconds=3), 12),
        StepState("build", DeploymentStatus.IN_PROGRESS, T0 + timedelta(seconds=3), None, 80),
        StepState("leak-scan", DeploymentStatus.QUEUED),
    ]
    model.set_steps(steps)
    qtmodeltester.check(model, force_py=True)
    assert [model.data(model.index(r, StepColumn.STEP)) for r in range(3)] == [
        "install",
        "build",
        "leak-scan",
    ]
    assert model.data(model.index(0, StepColumn.DURATION)) == "3s"
    assert model.data(model.index(1, StepColumn.DURATION)) == "39s"
    assert model.data(model.index(2, StepColumn.DURATION)) == "—"
    assert model.data(model.index(1, StepColumn.STATUS)) == "In progress"
    assert model.data(model.index(1, 0), StepsModel.NameRole) == "build"
    model.set_steps([StepState("build", DeploymentStatus.FAILED, error="Build failed")])
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) == "Build failed"
    qtmodeltester.check(model, force_py=True)


def test_snapshot_model_lists_keys_versions_and_marks_new_ones(
    qtmodeltester: ModelTester,
) -> None:
    model = SnapshotModel()
    model.set_entries(
        [
            SnapshotEntry("FS_DISCOVERY_APP_KEY", 3, EntryType.SECRET, new=True),
            SnapshotEntry("NEXT_PUBLIC_STORE_NAME", 1, EntryType.TEXT),
        ]
    )
    qtmodeltester.check(model, force_py=True)
    assert model.new_count == 1
    assert model.data(model.index(0, SnapshotColumn.KEY)) == "FS_DISCOVERY_APP_KEY"
    assert model.data(model.index(0, SnapshotColumn.VERSION)) == "v3"
    assert model.data(model.index(0, SnapshotColumn.TYPE)) == "Secret"
    assert model.data(model.index(0, SnapshotColumn.NEW)) == "New"
    assert model.data(model.index(1, SnapshotColumn.NEW)) == ""
    assert model.data(model.index(0, 0), SnapshotModel.NewRole) is True
