"""The top of every view of the navigation: its title and a line saying what it is for, inside
the margins all views share."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from faststore_desktop.ui.views import VIEWS

#: Left, top, right, bottom: the space between the navigation and a view's content.
VIEW_MARGINS = (20, 16, 20, 12)
VIEW_SPACING = 10


def view_layout(view: QWidget, blurb: str) -> QVBoxLayout:
    """`view`'s layout, holding its title (the navigation's name for the view whose object name
    `view` has) and `blurb`, already translated; the caller adds the rest below them."""
    spec = next(spec for spec in VIEWS if spec.name == view.objectName())
    heading = QLabel(QCoreApplication.translate("MainWindow", spec.title), view)
    heading.setObjectName("heading")
    description = QLabel(blurb, view)
    description.setObjectName("secondary")
    description.setWordWrap(True)
    layout = QVBoxLayout(view)
    layout.setContentsMargins(*VIEW_MARGINS)
    layout.setSpacing(VIEW_SPACING)
    layout.addWidget(heading)
    layout.addWidget(description)
    return layout
