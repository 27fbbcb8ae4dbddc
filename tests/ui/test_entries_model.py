"""The entries table model and its filter proxy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt

from faststore_desktop.core.entries import Entry, EntryType
from faststore_desktop.ui.models.entries import MASK, Column, EntriesFilter, EntriesModel, EntryRole

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def entry(
    key: str, type: EntryType = EntryType.TEXT, value: str | None = "v", minutes: int = 0
) -> Entry:
    when = T0 + timedelta(minutes=minutes)
    return Entry(key, type, None if type is EntryType.SECRET else value, 1, when, when, "ana")


def sample() -> list[Entry]:
    return [
        entry("VTEX_ACCOUNT", value="storeframework", minutes=3),
        entry("FS_DISCOVERY_APP_KEY", EntryType.SECRET, minutes=1),
        entry("NEXT_PUBLIC_GA_ID", value="G-123", minutes=2),
    ]


def test_qtmodeltester_on_model_and_proxy(qtmodeltester) -> None:
    model = EntriesModel()
    model.set_entries(sample(), {"VTEX_ACCOUNT"})
    qtmodeltester.check(model, force_py=True)
    proxy = EntriesFilter()
    proxy.setSourceModel(model)
    proxy.set_text("fs_")
    qtmodeltester.check(proxy, force_py=True)


def test_values_are_masked_until_revealed_and_secrets_never() -> None:
    model = EntriesModel()
    model.set_entries(sample(), ())
    text_row = model.row_of("VTEX_ACCOUNT")
    secret_row = model.row_of("FS_DISCOVERY_APP_KEY")
    assert text_row is not None and secret_row is not None
    value = model.index(text_row, Column.VALUE)
    assert value.data() == MASK
    model.set_revealed("VTEX_ACCOUNT", True)
    assert value.data() == "storeframework"
    assert value.data(EntryRole.IS_REVEALED) is True
    model.set_revealed("FS_DISCOVERY_APP_KEY", True)
    assert model.index(secret_row, Column.VALUE).data() == MASK
    assert model.is_revealed("FS_DISCOVERY_APP_KEY") is False


def test_status_column_and_pending_count() -> None:
    model = EntriesModel()
    model.set_entries(sample(), {"VTEX_ACCOUNT", "GONE"})
    row = model.row_of("VTEX_ACCOUNT")
    assert model.index(row, Column.STATUS).data() == "Pending redeploy"
    assert model.index(model.row_of("NEXT_PUBLIC_GA_ID"), Column.STATUS).data() == "Live"
    assert model.pending_count() == 1


def test_sorting_through_the_proxy_keeps_selection_mapping() -> None:
    model = EntriesModel()
    model.set_entries(sample(), ())
    proxy = EntriesFilter()
    proxy.setSourceModel(model)
    proxy.sort(Column.UPDATED, Qt.SortOrder.DescendingOrder)
    keys = [proxy.index(r, Column.KEY).data() for r in range(proxy.rowCount())]
    assert keys == ["VTEX_ACCOUNT", "NEXT_PUBLIC_GA_ID", "FS_DISCOVERY_APP_KEY"]
    proxy.sort(Column.KEY, Qt.SortOrder.AscendingOrder)
    keys = [proxy.index(r, Column.KEY).data() for r in range(proxy.rowCount())]
    assert keys == sorted(keys, key=str.casefold)


def test_filter_matches_keys_case_insensitively() -> None:
    model = EntriesModel()
    model.set_entries(sample(), ())
    proxy = EntriesFilter()
    proxy.setSourceModel(model)
    proxy.set_text("next_public")
    assert proxy.rowCount() == 1
    assert proxy.entry_at(proxy.index(0, Column.VALUE)).key == "NEXT_PUBLIC_GA_ID"


def test_revealed_keys_are_forgotten_when_the_entry_becomes_secret() -> None:
    model = EntriesModel()
    model.set_entries(sample(), ())
    model.set_revealed("VTEX_ACCOUNT", True)
    model.set_entries([entry("VTEX_ACCOUNT", EntryType.SECRET)], ())
    assert not model.is_revealed("VTEX_ACCOUNT")
