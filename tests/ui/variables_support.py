"""Shared set-up for the Variables view tests: the real embedded WebOps in a temporary folder,
a store in it, the view in a window."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

from async_support import wait_until
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from faststore_desktop.settings import LOCAL_CONNECTION_ID, Settings
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.i18n import install_translator
from faststore_desktop.ui.views.variables import VariablesView
from faststore_desktop.ui.widgets.toast import ToastArea
from faststore_desktop.webops.local.service import LocalWebOps
from faststore_desktop.webops.models import Store, StoreConfig
from faststore_desktop.webops.protocol import WebOps

_translator: list[QTranslator] = []


def install_english() -> None:
    """The app's translator (plural forms), installed once as app.py does."""
    app = QApplication.instance()
    if not _translator and isinstance(app, QApplication):
        _translator.append(install_translator(app))


@dataclass
class Harness:
    webops: LocalWebOps
    store: Store
    context: StoreContext
    view: VariablesView
    window: QMainWindow
    toasts: ToastArea
    messages: list[str]


async def open_view(tmp_path: Path, *, wrap: Callable[[WebOps], WebOps] | None = None) -> Harness:
    install_english()
    webops = await LocalWebOps.open(tmp_path / "data", secrets.token_bytes(32), actor="ana")
    store = await webops.create_store(StoreConfig(name="Demo store", vtex_account="storeframework"))
    context = StoreContext(Settings(tmp_path / "settings.ini"))
    view = VariablesView(context)
    window = QMainWindow()
    window.setCentralWidget(view)
    window.resize(1180, 800)
    toasts = ToastArea(view)
    messages: list[str] = []
    context.toast.connect(lambda text, _kind: messages.append(text))
    context.toast.connect(toasts.show_message)
    window.show()
    context.set_store(wrap(webops) if wrap else webops, store, "This computer", LOCAL_CONNECTION_ID)
    # Fixture set-up runs the loop only until it returns: let the first load finish inside it.
    await wait_until(lambda: not view.loading, what="the first load")
    return Harness(webops, store, context, view, window, toasts, messages)


async def variables_view(tmp_path: Path, **kwargs: object) -> AsyncIterator[Harness]:
    harness = await open_view(tmp_path, **kwargs)  # type: ignore[arg-type]
    try:
        yield harness
    finally:
        harness.context.clear()
        for widget in QApplication.topLevelWidgets():
            widget.hide()  # not close(): closing the last window would quit the test's loop
        await asyncio.sleep(0.05)  # let cancelled tasks unwind before closing the database
        await harness.webops.close()


def visible_dialog(kind: type[QWidget]) -> QWidget | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, kind) and widget.isVisible():
            return widget
    return None
