"""The Variables view over a large store: loading it into the table, and typing in its filter.

The real view, model and proxy, in a shown window, over the real embedded WebOps. A first load
runs from choosing the store (a newly opened WebOps: nothing read before) to the table filled
and painted; a reload is the view's own `load()` (what it does after every change) followed by
painting; a keystroke is the key event on the filter box (filtering happens synchronously)
followed by painting the table.
"""

from __future__ import annotations

import asyncio
import secrets
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.loops import qt_application, run_on_qt, wait_until
from benchmarks.plan import Plan
from benchmarks.report import Below, Row
from benchmarks.seed import open_local, seeded_store
from faststore_desktop.settings import LOCAL_CONNECTION_ID, Settings
from faststore_desktop.webops.models import Store

if TYPE_CHECKING:
    from faststore_desktop.ui.context import StoreContext
    from faststore_desktop.ui.views.variables import VariablesView
    from faststore_desktop.webops.local.service import LocalWebOps

#: Typed one key at a time, then erased with Backspace: every keystroke is a sample.
QUERY = "bench_01"
#: Time for the window to settle between keystrokes (not measured).
SETTLE_SECONDS = 0.03
FRAME_MS = 16.0


def run(plan: Plan) -> list[Row]:
    firsts, reads, loads, keystrokes = run_on_qt(lambda: _measure(plan))
    entries = f"{plan.table_entries:,}"
    return [
        Row(
            f"load a store of {entries} entries into the table",
            "ms",
            samples=tuple(firsts),
            target=Below(150.0),
            note="store chosen -> read, status, model reset -> painted",
        ),
        Row(
            f"reload {entries} entries (after a change)",
            "ms",
            samples=tuple(loads),
            target=Below(150.0),
            note="the view's load(): read + status + model reset + paint",
        ),
        Row(f"of which: read {entries} entries (embedded)", "ms", samples=tuple(reads)),
        Row(
            f"filter keystroke over {entries} entries",
            "ms",
            samples=tuple(keystrokes),
            target=Below(FRAME_MS, ("median", "p95")),
            note="key event, filter, paint of the table",
        ),
    ]


async def _measure(plan: Plan) -> tuple[list[float], list[float], list[float], list[float]]:
    from PySide6.QtWidgets import QMainWindow

    from faststore_desktop.ui.context import StoreContext
    from faststore_desktop.ui.i18n import install_translator
    from faststore_desktop.ui.views.variables import VariablesView

    translator = install_translator(qt_application())
    with tempfile.TemporaryDirectory(prefix="fsd-bench-table-") as root:
        data_dir, data_key = Path(root), secrets.token_bytes(32)
        # One WebOps owns a data folder at a time: the seeding one closes before the first loads.
        seeding = await open_local(data_dir, data_key)
        try:
            store = await seeded_store(seeding, "Bench", plan.table_entries)
        finally:
            await seeding.close()
        context = StoreContext(Settings(data_dir / "settings.ini"))
        window = QMainWindow()
        view = VariablesView(context)
        window.setCentralWidget(view)
        window.resize(1200, 780)
        try:
            window.show()
            firsts = [
                await _first_load(view, context, data_dir, data_key, store, plan.table_entries)
                for _ in range(plan.table_loads)
            ]
            webops = await open_local(data_dir, data_key)
            try:
                context.set_store(webops, store, "bench", LOCAL_CONNECTION_ID)
                reads, loads = await _reloads(view, webops, store, plan)
                keystrokes = await _keystrokes(view, plan)
            finally:
                context.clear()
                await webops.close()
            return firsts, reads, loads, keystrokes
        finally:
            window.close()
            window.deleteLater()
            qt_application().removeTranslator(translator)


async def _reloads(
    view: VariablesView, webops: LocalWebOps, store: Store, plan: Plan
) -> tuple[list[float], list[float]]:
    """The protocol's reads alone, then the view's whole reload, alternating."""
    await wait_until(
        lambda: not view.loading and view.model.rowCount() == plan.table_entries,
        "the first load",
    )
    reads: list[float] = []
    loads: list[float] = []
    for _ in range(plan.table_loads):
        started = time.perf_counter()
        await webops.list_entries(store.id)
        await webops.status(store.id)
        reads.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(SETTLE_SECONDS)
        started = time.perf_counter()
        await view.load()
        view.table.viewport().repaint()
        loads.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(SETTLE_SECONDS)
    return reads, loads


async def _keystrokes(view: VariablesView, plan: Plan) -> list[float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    keys = [*QUERY, *[Qt.Key.Key_Backspace] * len(QUERY)]
    keystrokes: list[float] = []
    view.filter_edit.setFocus()
    for _ in range(plan.filter_rounds):
        for key in keys:
            started = time.perf_counter()
            QTest.keyClick(view.filter_edit, key)
            view.table.viewport().repaint()
            keystrokes.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(SETTLE_SECONDS)
    return keystrokes


async def _first_load(
    view: VariablesView, context: StoreContext, data_dir: Path, key: bytes, store: Store, rows: int
) -> float:
    """Choosing the store on a WebOps that has read nothing yet, until the table is painted."""
    webops = await open_local(data_dir, key)
    try:
        started = time.perf_counter()
        context.set_store(webops, store, "bench", LOCAL_CONNECTION_ID)
        await wait_until(
            lambda: not view.loading and view.model.rowCount() == rows, "a first load", poll=0.001
        )
        view.table.viewport().repaint()
        elapsed = (time.perf_counter() - started) * 1000
    finally:
        context.clear()
        await webops.close()
    await asyncio.sleep(SETTLE_SECONDS)
    return elapsed
