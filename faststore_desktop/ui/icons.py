"""Icons and style sheets shipped in resources/."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from faststore_desktop.resources import resource_path


@cache
def icon(name: str) -> QIcon:
    """The SVG icon `name` (an empty icon when there is none, e.g. for a view without one)."""
    path = resource_path("icons", f"{name}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()


#: The application icon's folder and file stem (packaging/make_icons.py renders the PNGs).
APP_ICON_DIR = ("icons", "app")
APP_ICON_NAME = "faststore-desktop"
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


@cache
def app_icon() -> QIcon:
    """The application icon: the PNG of each size, so every size is drawn for that size (the
    window manager, taskbar, tray and Alt+Tab each ask for their own); the SVG without them."""
    result = QIcon()
    for size in APP_ICON_SIZES:
        path = resource_path(*APP_ICON_DIR, f"{APP_ICON_NAME}-{size}.png")
        if path.is_file():  # a pixmap is read only when that size is drawn
            result.addFile(str(path), QSize(size, size))
    if result.isNull():
        result = QIcon(str(resource_path(*APP_ICON_DIR, f"{APP_ICON_NAME}.svg")))
    return result


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
