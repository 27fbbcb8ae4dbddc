"""Saving pictures of the app for a person to look at (artifacts/screenshots/, git-ignored)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

OUT = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def save(widget: QWidget, name: str) -> Path:
    """`widget` as it is painted now, saved as `name`.png.

    The caller lets Qt lay out and paint first (an async test awaits a short sleep, a sync one
    waits with qtbot); see the `no_nested_event_processing` fixture for why this does not.
    """
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.png"
    assert widget.grab().save(str(path))
    return path
