"""Files shipped in resources/: next to the package in a source tree, inside a frozen bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """`resources/<parts...>`, from a PyInstaller bundle (`sys._MEIPASS`) or the source tree."""
    bundle = getattr(sys, "_MEIPASS", None)
    base = Path(bundle) if bundle else Path(__file__).resolve().parent.parent
    return base.joinpath("resources", *parts)
