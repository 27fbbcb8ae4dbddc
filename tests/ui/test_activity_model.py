"""The Activity model and its filter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from faststore_desktop.ui.models.activity import (
    ActivityColumn,
    ActivityFilter,
    ActivityKind,
    ActivityModel,
)
from faststore_desktop.webops.models import AuditRecord

T0 = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)

# Icons and fonts need a QApplication.
pytestmark = pytest.mark.usefixtures("qapp")


def record(number: int, action: str, key: str | None, actor: str = "ana") -> AuditRecord:
    return AuditRecord(number, T0 - timedelta(minutes=number), actor, action, key)


RECORDS = [
    record(1, "deployment.create", None, "bruno"),
    record(2, "entry.update", "FS_DISCOVERY_APP_TOKEN"),
    record(3, "entry.create", "NEXT_PUBLIC_STORE_NAME", "bruno"),
    record(4, "store.configure", None),
    record(5, "entry.custom-thing", "VTEX_ACCOUNT"),
]


def test_activity_model_and_filter_pass_qt_model_checks(qtmodeltester: ModelTester) -> None:
    model = ActivityModel()
    model.set_records(RECORDS[:3])
    qtmodeltester.check(model, force_py=True)
    assert model.append_records(RECORDS[2:]) == 2
    proxy = ActivityFilter()
    proxy.setSourceModel(model)
    proxy.set_text("bruno")
    qtmodeltester.check(proxy, force_py=True)


def test_rows_say_who_did_what_to_which_key() -> None:
    model = ActivityModel()
    model.set_records(RECORDS)

    def row(number: int) -> list[object]:
        return [model.data(model.index(number, c)) for c in ActivityColumn]

    assert row(1)[1:4] == ["ana", "Updated", "FS_DISCOVERY_APP_TOKEN"]
    assert row(0)[1:4] == ["bruno", "Redeployed", ""]
    assert row(4)[2] == "entry.custom-thing"  # an unknown action is shown as recorded
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)


def test_filter_by_kind_and_words() -> None:
    model = ActivityModel()
    model.set_records(RECORDS)
    proxy = ActivityFilter()
    proxy.setSourceModel(model)

    def keys() -> list[object]:
        return [proxy.data(proxy.index(r, ActivityColumn.KEY)) for r in range(proxy.rowCount())]

    proxy.set_kind(ActivityKind.ENTRY)
    assert keys() == ["FS_DISCOVERY_APP_TOKEN", "NEXT_PUBLIC_STORE_NAME", "VTEX_ACCOUNT"]
    proxy.set_text("BRUNO next_public")
    assert keys() == ["NEXT_PUBLIC_STORE_NAME"]
    proxy.set_kind(None)
    proxy.set_text("updated")
    assert keys() == ["FS_DISCOVERY_APP_TOKEN"]
    proxy.set_text("")
    assert proxy.rowCount() == len(RECORDS)
