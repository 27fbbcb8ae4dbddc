"""English wording shared by the core's messages (the GUI's own text goes through Qt's tr())."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str = "") -> str:
    """ "1 key", "3 keys": the count with its noun in the right number."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
