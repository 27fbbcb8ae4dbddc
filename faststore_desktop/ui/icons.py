"""Icons and style sheets shipped in resources/ (next to the package, or in a frozen bundle)."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)  # set by a PyInstaller-frozen binary
    base = Path(bundle) if bundle else Path(__file__).resolve().parents[2]
    return base / "resources"


@cache
def icon(name: str) -> QIcon:
    """The SVG icon `name` (an empty icon when there is none, e.g. for a view without one)."""
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()


def style_sheet(name: str) -> str:
    path = resources_dir() / "styles" / f"{name}.qss"
    return path.read_text(encoding="utf-8") if path.is_file() else ""
