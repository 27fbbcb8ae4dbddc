"""The workspace views' item models under Qt's model tester, and what they show."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from faststore_desktop.core.dotenv import parse_dotenv
from faststore_desktop.core.entries import EntryType
from faststore_desktop.core.legacy import parse_hidden, parse_revealed
from faststore_desktop.core.migration import LegacyScan, MigrationPlan
from faststore_desktop.ui.models.dotenv_table import DotenvColumn, DotenvRole, DotenvTableModel
from faststore_desktop.ui.widgets.workspace_migration_table import (
    MigrationColumn,
    MigrationItemsModel,
)
from faststore_desktop.ui.widgets.workspace_rows import Row, RowRole, RowsModel, Tone

ENV = "# local\nexport VTEX_ACCOUNT=shop\nTOKEN='s3cret-local-value'\n"


def test_rows_model(qtmodeltester: ModelTester) -> None:
    model = RowsModel(["Key", "Where"])
    model.set_rows([Row(("A", "x.ts:1"), payload=1, tone=Tone.ERROR, tooltip="why")])
    qtmodeltester.check(model)
    index = model.index(0, 0)
    assert index.data() == "A" and index.data(RowRole.PAYLOAD) == 1
    assert index.data(RowRole.TONE) == "error" and index.data(Qt.ItemDataRole.ToolTipRole) == "why"
    model.set_rows([])
    qtmodeltester.check(model)


def test_dotenv_table_edits_through_the_writer(qtmodeltester: ModelTester) -> None:
    model = DotenvTableModel()
    model.set_document(parse_dotenv(ENV))
    qtmodeltester.check(model)
    value = model.index(1, DotenvColumn.VALUE)
    assert "s3cret" not in value.data()
    assert value.data(Qt.ItemDataRole.EditRole) == "s3cret-local-value"
    model.set_values_visible(True)
    assert value.data() == "s3cret-local-value"

    edits: list[None] = []
    model.edited.connect(lambda: edits.append(None))
    assert model.setData(model.index(0, DotenvColumn.VALUE), "new shop")
    assert model.setData(model.index(1, DotenvColumn.KEY), "API_TOKEN")
    text = model.document.render()
    assert text.startswith("# local\nexport VTEX_ACCOUNT=")
    assert parse_dotenv(text).values() == {
        "VTEX_ACCOUNT": "new shop",
        "API_TOKEN": "s3cret-local-value",
    }
    assert [model.index(r, 0).data(DotenvRole.KEY) for r in range(2)] == [
        "VTEX_ACCOUNT",
        "API_TOKEN",
    ]
    assert len(edits) == 2
    qtmodeltester.check(model)


def test_a_refused_edit_keeps_the_document(qtbot: QtBot) -> None:
    model = DotenvTableModel()
    model.set_document(parse_dotenv(ENV))
    with qtbot.waitSignal(model.editFailed) as failed:
        assert not model.setData(model.index(0, DotenvColumn.KEY), "not a key")
    assert "letters, digits, underscores" in failed.args[0]
    assert model.document.render() == ENV


def test_migration_items(qtmodeltester: ModelTester) -> None:
    revealed = parse_revealed(json.dumps({"account": "shop", "TOKEN": "tok-123456789"}))
    hidden = parse_hidden(
        json.dumps(
            {
                "TOKEN": "ENC[AES256_GCM,data:eA==]",
                "PAY": "ENC[AES256_GCM,data:eQ==]",
                "sops": {"mac": "x"},
            }
        )
    )
    plan = MigrationPlan(LegacyScan(Path("."), revealed, hidden, True), {})
    model = MigrationItemsModel()
    model.set_plan(plan)
    qtmodeltester.check(model)
    cells = [
        [str(model.index(r, c).data()) for c in MigrationColumn] for r in range(model.rowCount())
    ]
    assert [row[:2] for row in cells] == [
        ["account", "secrets.revealed.json"],
        ["TOKEN", "both files"],
        ["PAY", "secrets.hidden.json"],
    ]
    assert cells[2][MigrationColumn.VALUE] == "needs a value"
    assert "tok-123456789" not in str(cells)
    secret = model.index(0, MigrationColumn.SECRET)
    assert secret.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.setData(secret, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert plan.types["account"] is EntryType.TEXT
    plan.supply_value("PAY", "typed-value")
    model.plan_changed()
    assert model.index(2, MigrationColumn.VALUE).data().startswith("\u2022")
    qtmodeltester.check(model)
