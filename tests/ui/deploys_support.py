"""Shared set-up for the Deploys and Activity view tests: the real embedded WebOps with the
sample store in a temporary folder, a window to show a view in, and an accessibility check.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from async_support import cancel_pending
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QMainWindow,
    QTabBar,
    QWidget,
)

from faststore_desktop.settings import Settings
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.webops.local.sample import ensure_sample_store
from faststore_desktop.webops.local.service import LocalWebOps
from faststore_desktop.webops.models import Store


@dataclass
class Embedded:
    webops: LocalWebOps
    store: Store
    context: StoreContext


async def open_embedded(tmp_path: Path, actor: str = "ana") -> Embedded:
    webops = await LocalWebOps.open(tmp_path / "data", secrets.token_bytes(32), actor=actor)
    store = await ensure_sample_store(webops, tmp_path / "stores")
    return Embedded(webops, store, StoreContext(Settings(tmp_path / "settings.ini")))


async def finish(embedded: Embedded) -> None:
    """The last step of a test: leave the store and end the views' work inside the test's loop.

    Between the test's loop run and the fixture's, Qt may process events with no asyncio loop
    running; a view task still in flight then would step outside any loop.
    """
    embedded.context.clear()
    await cancel_pending()


def host(view: QWidget, width: int = 1180, height: int = 760) -> QMainWindow:
    """Show a view inside a plain main window, as the app's window will."""
    window = QMainWindow()
    window.setCentralWidget(view)
    window.resize(width, height)
    window.show()
    return window


def unnamed_controls(root: QWidget) -> list[str]:
    """Controls under `root` that assistive tools could not name (no accessible name, no text)."""
    return [
        f"{type(widget).__name__} {widget.objectName()!r}"
        for kind in (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView)
        for widget in root.findChildren(kind)
        if not _qt_internal(widget)
        and not widget.accessibleName()
        and not getattr(widget, "text", lambda: "")()
    ]


def _qt_internal(widget: QWidget) -> bool:
    """Parts Qt builds itself: headers, corner buttons, innards of combos, fields and tab bars."""
    if isinstance(widget, QHeaderView) or widget.objectName().startswith("qt_"):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QLineEdit, QTabBar)):
            return True
        if parent.objectName().startswith("qt_"):
            return True
        parent = parent.parentWidget()
    return False
