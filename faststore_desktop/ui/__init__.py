"""Qt widgets, models and dialogs. Talks only to the WebOps protocol and to core.

Importing this package loads PySide6 without its `__feature__` import hook (see
`pyside_imports`): the modules imported after it are spared PySide6's reading of their source.
"""

from faststore_desktop.ui.pyside_imports import drop_feature_import_hook

drop_feature_import_hook()
