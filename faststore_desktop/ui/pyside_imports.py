"""PySide6's import hook, which the app does without.

When PySide6 loads, it replaces `builtins.__import__` with a function of its own so that a module
may write `from __feature__ import snake_case, true_property`. To learn which modules use
PySide6, that function reads the whole source of every module named by an import statement, the
first time it is named (`inspect.getsource`), and the text stays in `linecache` for the life of
the process. Starting the app names ~170 modules before its first frame and ~290 by the time it
is idle: 20-30 ms before the first frame and ~8 MiB kept for nothing. The app uses no
`__feature__`, so the GUI process puts back the import function PySide6 wrapped, which keeps
PySide6's own lazy loading of Qt classes; only the `__feature__` switch goes.
"""

from __future__ import annotations

import builtins

#: The name of PySide6's wrapping import function.
FEATURE_IMPORT = "__feature_import__"


def drop_feature_import_hook() -> bool:
    """Load PySide6 and put back the import function its hook wraps; True when it did.

    The `ui` package calls it when first imported. Nothing changes when another PySide6 version
    installs no such hook, or when something else has replaced `builtins.__import__` since.
    """
    import PySide6  # noqa: F401  (loading it installs the hook)

    wrapped = getattr(builtins, "__orig_import__", None)
    if wrapped is None or getattr(builtins.__import__, "__name__", "") != FEATURE_IMPORT:
        return False
    builtins.__import__ = wrapped
    return True
