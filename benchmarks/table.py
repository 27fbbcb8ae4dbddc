"""The Variables view over a large store: loading it into the table, and typing in its filter.

The real view, model and proxy, in a shown window, over the real embedded WebOps. A load is the
view's own `load()` (read entries and status, one model reset) followed by painting the table; a
keystroke is the key event on the filter box (filtering happens synchronously) followed by
painting the table.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from benchmarks.loops import qt_application, run_on_qt, wait_until
from benchmarks.plan import Plan
from benchmarks.report import Below, Row
from benchmarks.seed import open_local, seeded_store

#: Typed one key at a time, then erased with Backspace: every keystroke is a sample.
QUERY = "bench_01"
#: Time for the window to settle between keystrokes (not measured).
SETTLE_SECONDS = 0.03
FRAME_MS = 16.0


def run(plan: Plan) -> list[Row]:
    reads, loads, keystrokes = run_on_qt(lambda: _measure(plan))
    entries = f"{plan.table_entries:,}"
    return [
        Row(
            f"load {entries} entries into the table",
            "ms",
            samples=tuple(loads),
            target=Below(150.0),
            note="read + status + model reset + paint",
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


async def _measure(plan: Plan) -> tuple[list[float], list[float], list[float]]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QMainWindow

    from faststore_desktop.ui.context import StoreContext
    from faststore_desktop.ui.i18n import install_translator
    from faststore_desktop.ui.views.variables import VariablesView

    translator = install_translator(qt_application())
    with tempfile.TemporaryDirectory(prefix="fsd-bench-table-") as root:
        webops = await open_local(Path(root))
        context = StoreContext()
        window = QMainWindow()
        view = VariablesView(context)
        window.setCentralWidget(view)
        window.resize(1200, 780)
        try:
            store = await seeded_store(webops, "Bench", plan.table_entries)
            window.show()
            context.set_store(webops, store, "bench")
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
            return reads, loads, keystrokes
        finally:
            context.set_store(None, None, "")
            window.close()
            window.deleteLater()
            qt_application().removeTranslator(translator)
            await webops.close()
