"""The item models of the dialogs: history of an entry and the staged bulk change set."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from faststore_desktop.core.entries import Entry, EntryType
from faststore_desktop.ui.models.history import HistoryColumn, HistoryModel
from faststore_desktop.ui.models.staged import StagedColumn, StagedModel
from faststore_desktop.webops.models import EntryVersion

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def test_history_model(qtmodeltester) -> None:
    model = HistoryModel()
    model.set_versions(
        [
            EntryVersion("K", 3, EntryType.TEXT, "rollback", "ana", T0, "one", "aa"),
            EntryVersion("K", 2, EntryType.SECRET, "update", "bo", T0, None, "bb"),
            EntryVersion("K", 1, EntryType.TEXT, "create", "ana", T0, "one", "aa"),
        ]
    )
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, HistoryColumn.ACTION).data() == "Restored"
    assert "one" not in model.index(0, HistoryColumn.VALUE).data()
    assert model.index(1, HistoryColumn.VALUE).data().endswith("bb")


def test_staged_model(qtmodeltester) -> None:
    current = [Entry("API_TOKEN", EntryType.SECRET, None, 4, T0, T0, "ana")]
    model = StagedModel()
    model.stage({"API_TOKEN": "new", "SHOP_NAME": "Demo", "bad key": "x"}, current)
    qtmodeltester.check(model, force_py=True)
    rows = {row.key: row for row in model.rows()}
    assert rows["API_TOKEN"].type is EntryType.SECRET
    assert rows["SHOP_NAME"].type is EntryType.TEXT
    assert model.has_errors()  # "bad key" is not a valid key
    shop = next(i for i, row in enumerate(model.rows()) if row.key == "SHOP_NAME")
    secret = model.index(shop, StagedColumn.SECRET)
    assert secret.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert model.setData(secret, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert next(r for r in model.rows() if r.key == "SHOP_NAME").type is EntryType.SECRET
    assert len(model.changes()) == 3
