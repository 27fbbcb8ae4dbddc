"""Icons and style sheets shipped in resources/."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from faststore_desktop.resources import resource_path


@cache
def icon(name: str) -> QIcon:
    """The SVG icon `name` (an empty icon when there is none, e.g. for a view without one)."""
    path = resource_path("icons", f"{name}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()


def icon_file(name: str) -> str:
    """The icon's path, for rich text (`<img src=...>`)."""
    return resource_path("icons", f"{name}.svg").as_posix()


def style_sheet(name: str) -> str:
    path = resource_path("styles", f"{name}.qss")
    return path.read_text(encoding="utf-8") if path.is_file() else ""


#: The tone of the navigation icons, replaced by white for the selected (highlighted) row.
_NAV_TONE = b"#6b7a90"


@cache
def nav_icon(name: str) -> QIcon:
    """A navigation icon that turns white on the selection highlight, as its text does."""
    path = resource_path("icons", f"{name}.svg")
    result = QIcon(icon(name))
    if not path.is_file():
        return result
    renderer = QSvgRenderer(QByteArray(path.read_bytes().replace(_NAV_TONE, b"#ffffff")))
    for size in (20, 40):  # 40 for a scale factor of 2
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        result.addPixmap(pixmap, QIcon.Mode.Selected)
    return result
