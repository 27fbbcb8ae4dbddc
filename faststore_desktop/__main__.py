"""`python -m faststore_desktop` and the `faststore-desktop` console script."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    _immortal_booleans()
    from faststore_desktop.cli import run

    return run(sys.argv[1:] if argv is None else argv)


def _immortal_booleans() -> None:
    """Make True and False immortal on CPython 3.11, as CPython 3.12 does.

    PySide6 6.12's SignalInstance.emit() drops one reference to the bool it returns: without
    this, a few thousand emits (a streaming log, every qasync run_in_executor) abort the app in
    bool_dealloc. tests/conftest.py does the same for the test processes.
    """
    if sys.version_info < (3, 12):
        import ctypes

        for value in (True, False):
            ctypes.c_ssize_t.from_address(id(value)).value += 1 << 40


if __name__ == "__main__":
    sys.exit(main())
