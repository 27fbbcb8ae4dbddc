"""What the GUI loads before its first frame: no dialog, backend or server code, and not
PySide6's `__feature__` import hook, which read the source of every module imported after PySide6
and kept it in memory."""

from __future__ import annotations

import json
import subprocess
import sys

#: Each probe runs in a fresh interpreter: what this test process imported does not count.
HOOK_PROBE = """
import builtins, json, linecache, sys
import PySide6  # installs the hook
import faststore_desktop.ui
from faststore_desktop.ui.views.variables import VariablesView
imported_after = sys.modules[VariablesView.__module__]
from PySide6.QtWidgets import QSpinBox  # a Qt class still loads when first named
print(json.dumps({
    "import": getattr(builtins.__import__, "__name__", ""),
    "read": imported_after.__file__ in linecache.cache,
    "spinbox": QSpinBox.__name__,
}))
"""


#: The app's modules and the view shown first (the Variables view the first time), as the window
#: imports them before its first frame.
FIRST_FRAME_PROBE = """
import json, sys
import faststore_desktop.app
from faststore_desktop.ui.views import VIEWS
VIEWS[0].load()
print(json.dumps(sorted(sys.modules)))
"""


def run_probe(probe: str) -> object:
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_importing_the_ui_takes_the_hook_off_and_qt_still_loads_its_classes() -> None:
    from faststore_desktop.ui.pyside_imports import FEATURE_IMPORT

    answer = run_probe(HOOK_PROBE)
    assert isinstance(answer, dict)
    assert answer["import"] not in ("", FEATURE_IMPORT)
    assert answer["read"] is False  # a module imported afterwards was not read for PySide6
    assert answer["spinbox"] == "QSpinBox"


def test_without_the_hook_there_is_nothing_to_take_off() -> None:
    import builtins

    from faststore_desktop.ui.pyside_imports import FEATURE_IMPORT, drop_feature_import_hook

    assert getattr(builtins.__import__, "__name__", "") != FEATURE_IMPORT
    assert drop_feature_import_hook() is False


def test_the_first_frame_loads_no_dialog_backend_or_server_code() -> None:
    loaded = run_probe(FIRST_FRAME_PROBE)
    assert isinstance(loaded, list) and "faststore_desktop.ui.views.variables" in loaded
    dialogs = [m for m in loaded if m.startswith("faststore_desktop.ui.dialogs.")]
    assert dialogs == ["faststore_desktop.ui.dialogs.run"]  # the dialogs load when they open
    heavy = ("keyring", "cryptography", "sqlite3", "httpx", "starlette", "uvicorn")
    assert not [m for m in loaded if m.split(".")[0] in heavy]
    # The protocol's data classes load after the first frame: the window needs only their names.
    webops = [m for m in loaded if m.startswith("faststore_desktop.webops.")]
    assert webops == ["faststore_desktop.webops.errors"]
