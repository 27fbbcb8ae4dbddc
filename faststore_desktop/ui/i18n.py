"""Translations: the user's language when there is a file for it, else English.

English needs a file too: it carries the plural forms of the "%n ..." messages.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from faststore_desktop.resources import resource_path

_CATALOG = "faststore_desktop"


def install_translator(app: QCoreApplication) -> QTranslator:
    folder = str(resource_path("translations"))
    translator = QTranslator(app)
    if not translator.load(QLocale(), _CATALOG, "_", folder):
        translator.load(f"{_CATALOG}_en", folder)
    app.installTranslator(translator)
    return translator
