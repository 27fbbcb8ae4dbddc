"""Icons and style sheets shipped in resources/."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

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
