"""A store with 10,000 entries: one model reset, filtering in the proxy, sorting in the model."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from async_support import wait_until
from PySide6.QtCore import Qt
from variables_support import Harness, variables_view

from faststore_desktop.core.changeset import ChangeSet, create
from faststore_desktop.core.entries import EntryType
from faststore_desktop.ui.models.entries import Column

COUNT = 10_000


@pytest_asyncio.fixture
async def ui(tmp_path: Path) -> AsyncIterator[Harness]:
    async for harness in variables_view(tmp_path):
        yield harness


@pytest.mark.asyncio
async def test_ten_thousand_entries(ui: Harness) -> None:
    changes = ChangeSet(
        create(f"KEY_{i:05d}", EntryType.SECRET if i % 3 == 0 else EntryType.TEXT, f"value-{i}")
        for i in range(COUNT)
    )
    await ui.webops.apply(ui.store.id, changes, idempotency_key="large")
    resets: list[int] = []
    inserts: list[int] = []
    ui.view.model.modelReset.connect(lambda: resets.append(1))
    ui.view.model.rowsInserted.connect(lambda *_: inserts.append(1))
    ui.view.reload()
    await wait_until(lambda: ui.view.model.rowCount() == COUNT, 60, "10,000 rows")
    assert resets == [1] and inserts == []  # one reset, never a row at a time
    assert ui.view.count_label.text() == "10000 keys"

    ui.view.filter_edit.setText("key_0999")
    assert ui.view.proxy.rowCount() == 10
    assert ui.view.count_label.text() == f"10 / {COUNT}"
    ui.view.filter_edit.clear()

    ui.view.table.sortByColumn(Column.KEY, Qt.SortOrder.DescendingOrder)
    assert ui.view.proxy.index(0, Column.KEY).data() == "KEY_09999"
    ui.view.table.sortByColumn(Column.TYPE, Qt.SortOrder.AscendingOrder)
    assert ui.view.proxy.index(0, Column.TYPE).data() == "Secret"
