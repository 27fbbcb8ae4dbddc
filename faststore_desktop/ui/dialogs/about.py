"""Help > About: the version, and the licences of the components the app bundles.

The component list and licence texts are read from resources/licenses (written by
packaging/collect_licenses.py); versions come from the installed (or bundled) package metadata.
"""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from faststore_desktop import __version__
from faststore_desktop.resources import resource_path
from faststore_desktop.ui.icons import app_icon

#: The `distribution` components.json gives the interpreter, which has no package metadata.
PYTHON_DISTRIBUTION = "<python>"


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    license: str
    url: str
    version: str
    files: tuple[str, ...]
    note: str = ""


def bundled_components(folder: Path | None = None) -> list[Component]:
    """What components.json lists, each with the version found in its package metadata."""
    base = folder or resource_path("licenses")
    records = json.loads((base / "components.json").read_text(encoding="utf-8"))
    return [
        Component(
            name=record["name"],
            license=record["license"],
            url=record["url"],
            version=_version(record.get("distribution", "")),
            files=tuple(record.get("files", ())),
            note=record.get("note", ""),
        )
        for record in records
    ]


def licence_text(component: Component, folder: Path | None = None) -> str:
    base = folder or resource_path("licenses")
    texts = [(base / name).read_text(encoding="utf-8") for name in component.files]
    return "\n\n".join(texts)


def _version(distribution: str) -> str:
    if distribution == PYTHON_DISTRIBUTION:
        return platform.python_version()
    if not distribution:
        return ""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:  # e.g. a Windows-only helper on another system
        return ""


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About FastStore Desktop"))
        self.resize(720, 640)
        self.components = bundled_components()
        self.list = self._component_list()
        self.source = QLabel(self)
        self.source.setOpenExternalLinks(True)
        self.source.setWordWrap(True)
        self.licence = QPlainTextEdit(self)
        self.licence.setObjectName("aboutLicence")
        self.licence.setReadOnly(True)
        self.licence.setAccessibleName(self.tr("Licence text"))
        # Licence texts are laid out by their authors: keep their lines, in a fixed-width font.
        self.licence.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.licence.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))

        details = QWidget(self)
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.source)
        details_layout.addWidget(self.licence, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.list)
        splitter.addWidget(details)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 380])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addLayout(self._header())
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)

        self.list.currentItemChanged.connect(self._show_component)
        # It opens on Qt's notice (the first entry, whose LGPL asks to be seen) with no row current
        # or selected: a highlighted row the user did not pick reads as a choice already made.
        # Focus starts on Close, so Enter or Escape dismisses the box.
        self._show_row(0)
        self.close_button.setDefault(True)
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _header(self) -> QHBoxLayout:
        logo = QLabel(self)
        logo.setObjectName("aboutLogo")
        logo.setPixmap(app_icon().pixmap(QSize(64, 64), self.devicePixelRatioF()))
        title = QLabel(f"<h2>FastStore Desktop</h2>{self.tr('Version %s') % __version__}", self)
        title.setObjectName("aboutVersion")
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        summary = QLabel(
            self.tr(
                "Variables and secrets, deployments and vtex.env of FastStore stores, "
                "on the desktop.\nIt is built with the open-source components below, "
                "each under its own licence."
            ),
            self,
        )
        summary.setWordWrap(True)
        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(summary)
        header = QHBoxLayout()
        header.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(text, 1)
        return header

    def _component_list(self) -> QTreeWidget:
        tree = QTreeWidget(self)
        tree.setObjectName("aboutComponents")
        tree.setAccessibleName(self.tr("Bundled components"))
        tree.setHeaderLabels([self.tr("Component"), self.tr("Version"), self.tr("Licence")])
        tree.setRootIsDecorated(False)
        tree.setUniformRowHeights(True)
        for component in self.components:
            QTreeWidgetItem(tree, [component.name, component.version, component.license])
        for column in range(tree.columnCount()):
            tree.resizeColumnToContents(column)
        return tree

    def _show_component(self, item: QTreeWidgetItem | None) -> None:
        self._show_row(self.list.indexOfTopLevelItem(item) if item is not None else -1)

    def _show_row(self, row: int) -> None:
        if not 0 <= row < len(self.components):
            return
        component = self.components[row]
        link = f'<a href="{component.url}">{component.url}</a>'
        note = f"<br>{component.note}" if component.note else ""
        self.source.setText(self.tr("Source: %s") % link + note)
        self.licence.setPlainText(licence_text(component) if component.files else component.note)
