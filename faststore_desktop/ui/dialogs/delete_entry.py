"""The confirmation before deleting an entry, worded as the dashboard words it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from faststore_desktop.ui.dialogs.run import confirm


async def confirm_delete(parent: QWidget, key: str) -> bool:
    def tr(text: str) -> str:
        return QCoreApplication.translate("DeleteEntry", text)

    return await confirm(
        parent,
        tr("Delete secret"),
        tr("Delete %s?") % key,
        details=tr("This action can't be undone."),
        accept=tr("Delete secret"),
    )
