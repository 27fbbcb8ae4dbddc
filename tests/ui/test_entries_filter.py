"""Filtering the entries table in the model: the rows that stay keep their place (and the
selection), scattered changes become one reset, and sorting and counting see every entry."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QItemSelectionModel, QPersistentModelIndex, Qt

from faststore_desktop.core.entries import Entry, EntryType
from faststore_desktop.ui.models.entries import (
    MAX_ROW_RUNS,
    Column,
    EntriesFilter,
    EntriesModel,
)

WHEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def entries(count: int) -> list[Entry]:
    return [
        Entry(f"KEY_{i:04d}", EntryType.TEXT, f"v{i}", 1, WHEN, WHEN, "ana") for i in range(count)
    ]


def shown_keys(model: EntriesFilter | EntriesModel) -> list[str]:
    return [model.index(row, Column.KEY).data() for row in range(model.rowCount())]


def filtered(count: int) -> tuple[EntriesModel, EntriesFilter]:
    model = EntriesModel()
    model.set_entries(entries(count), ())
    proxy = EntriesFilter()
    proxy.setSourceModel(model)
    return model, proxy


def test_narrowing_removes_rows_and_keeps_the_ones_that_stay(qtmodeltester) -> None:
    model, proxy = filtered(300)
    qtmodeltester.check(proxy, force_py=True)
    kept = QPersistentModelIndex(proxy.index(shown_keys(proxy).index("KEY_0105"), Column.KEY))
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))

    proxy.set_text("key_01")
    assert shown_keys(proxy) == [f"KEY_{i:04d}" for i in range(100, 200)]
    assert kept.isValid() and kept.data() == "KEY_0105"
    assert resets == []  # two runs removed, no reset

    proxy.set_text(" ")  # blank: everything again, by inserting the two runs back
    assert shown_keys(proxy) == [f"KEY_{i:04d}" for i in range(300)]
    assert kept.isValid() and kept.data() == "KEY_0105"
    assert resets == []


def test_selection_survives_typing_in_the_filter() -> None:
    _model, proxy = filtered(50)  # the name keeps the source model alive
    selection = QItemSelectionModel(proxy)
    row = shown_keys(proxy).index("KEY_0012")
    selection.select(
        proxy.index(row, Column.KEY),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    for text in ("k", "key_", "key_001", "key_0012", "key_001", ""):
        proxy.set_text(text)
        assert [index.data() for index in selection.selectedRows(Column.KEY)] == ["KEY_0012"]


def test_scattered_changes_become_one_reset(qtmodeltester) -> None:
    model, proxy = filtered(20 * MAX_ROW_RUNS)
    qtmodeltester.check(proxy, force_py=True)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    proxy.set_text("5")  # about one key in ten, scattered: twice as many runs as the limit
    assert resets == [True]
    assert shown_keys(proxy) == [e.key for e in entries(20 * MAX_ROW_RUNS) if "5" in e.key]


def test_counts_sorting_and_lookups_see_every_entry_through_a_filter() -> None:
    model, proxy = filtered(20)
    proxy.set_text("key_001")
    assert model.rowCount() == 10
    assert model.total_count() == 20
    assert len(model.entries()) == 20
    assert model.entry("KEY_0003") is not None  # filtered out, still an entry
    assert model.row_of("KEY_0003") is None  # but not a row
    proxy.sort(Column.KEY, Qt.SortOrder.DescendingOrder)
    assert shown_keys(proxy) == [f"KEY_{i:04d}" for i in range(19, 9, -1)]
    proxy.set_text("")
    assert shown_keys(proxy) == [f"KEY_{i:04d}" for i in range(19, -1, -1)]


def test_new_entries_are_filtered_by_the_text_already_typed() -> None:
    model, proxy = filtered(5)
    proxy.set_text("key_0003")
    model.set_entries(entries(30), ())
    assert shown_keys(proxy) == ["KEY_0003"]
