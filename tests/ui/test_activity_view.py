"""The Activity view against the real embedded WebOps and its sample store."""

from __future__ import annotations

import pytest
from async_support import wait_until
from deploys_support import Embedded, finish, host, unnamed_controls
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from faststore_desktop.core.entries import EntryType
from faststore_desktop.settings import LOCAL_CONNECTION_ID
from faststore_desktop.ui.models.activity import ActivityColumn, ActivityKind
from faststore_desktop.ui.views.activity import ActivityView

CANARY = "canary-value-7f3a9c-never-shown"


def cells(view: ActivityView) -> list[list[str]]:
    proxy = view.proxy
    return [
        [str(proxy.data(proxy.index(row, column))) for column in ActivityColumn]
        for row in range(proxy.rowCount())
    ]


@pytest.mark.asyncio
async def test_activity_lists_who_changed_what_live_and_filters_never_showing_values(
    qtbot: QtBot, embedded: Embedded
) -> None:
    view = ActivityView(embedded.context)
    window = host(view)
    qtbot.addWidget(window)
    embedded.context.set_store(
        embedded.webops, embedded.store, "This computer", LOCAL_CONNECTION_ID
    )
    await wait_until(lambda: view.model.rowCount() >= 5, what="the sample store's records")
    assert any(row[3] == "FS_DISCOVERY_APP_KEY" and row[1] == "ana" for row in cells(view))

    await embedded.webops.create_entry(
        embedded.store.id, "CHECKOUT_API_TOKEN", EntryType.SECRET, CANARY
    )
    embedded.context.entriesChanged.emit()
    await wait_until(
        lambda: any(row[3] == "CHECKOUT_API_TOKEN" for row in cells(view)), what="the new entry"
    )
    newest = cells(view)[0]
    assert newest[1:4] == ["ana", "Added", "CHECKOUT_API_TOKEN"]

    view.filter.setText("checkout")
    assert [row[3] for row in cells(view)] == ["CHECKOUT_API_TOKEN"]
    view.filter.clear()
    view.kind.setCurrentIndex(view.kind.findData(ActivityKind.DEPLOYMENT))
    assert all(row[2] != "Added" for row in cells(view))
    view.kind.setCurrentIndex(0)

    assert not unnamed_controls(view)
    shown = "\n".join("\t".join(row) for row in cells(view))
    assert CANARY not in shown
    assert view.count.text() == f"Records: {view.model.rowCount()}"
    view.filter.setText("checkout")
    assert view.count.text() == f"Matching: 1 of {view.model.rowCount()}"
    await finish(embedded)


@pytest.mark.asyncio
async def test_older_activity_loads_page_by_page(qtbot: QtBot, embedded: Embedded) -> None:
    view = ActivityView(embedded.context)
    view.page_size = 4
    window = host(view)
    qtbot.addWidget(window)
    embedded.context.set_store(
        embedded.webops, embedded.store, "This computer", LOCAL_CONNECTION_ID
    )
    await wait_until(lambda: view.model.rowCount() == 4, what="the first page")
    total = len(await embedded.webops.audit_trail(embedded.store.id))
    assert total > 4 and view.load_more_button.isVisible()

    for _page in range(total):
        if not view.load_more_button.isVisible():
            break
        loaded = view.model.rowCount()
        qtbot.mouseClick(view.load_more_button, Qt.MouseButton.LeftButton)
        await wait_until(
            lambda loaded=loaded: (
                view.model.rowCount() > loaded or not view.load_more_button.isVisible()
            ),
            what="the next page",
        )
    assert view.model.rowCount() == total
    ids = [view.model.record(row).id for row in range(total)]
    assert ids == sorted(ids, reverse=True)  # newest first, each once
    await finish(embedded)
