"""The views of the main window's navigation, in order.

The navigation needs only each view's name and title, which live here: a view's module is
imported when the view is first built, so the first frame pays only for the view it shows.

Each view class is a QWidget taking (context: StoreContext, parent); its object name is the
`name` given here (also the name of its navigation icon).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from faststore_desktop.ui.context import StoreContext

#: A view class: built with the context and its parent.
ViewClass = Callable[["StoreContext", QWidget], QWidget]


@dataclass(frozen=True, slots=True)
class ViewSpec:
    #: The view's object name, e.g. "variables"; also the name of its navigation icon.
    name: str
    #: Translatable source text, in the "MainWindow" context.
    title: str
    #: "module:Class".
    target: str

    def load(self) -> ViewClass:
        """The view's class (importing its module the first time)."""
        module_name, _, class_name = self.target.partition(":")
        view_class: ViewClass = getattr(importlib.import_module(module_name), class_name)
        return view_class


VIEWS: tuple[ViewSpec, ...] = (
    ViewSpec(
        "variables",
        str(QT_TRANSLATE_NOOP("MainWindow", "Variables and secrets")),
        "faststore_desktop.ui.views.variables:VariablesView",
    ),
    ViewSpec(
        "local",
        str(QT_TRANSLATE_NOOP("MainWindow", "Local development")),
        "faststore_desktop.ui.views.local_dev:LocalDevView",
    ),
    ViewSpec(
        "migration",
        str(QT_TRANSLATE_NOOP("MainWindow", "Migration")),
        "faststore_desktop.ui.views.migration:MigrationView",
    ),
    ViewSpec(
        "deployments",
        str(QT_TRANSLATE_NOOP("MainWindow", "Deploys")),
        "faststore_desktop.ui.views.deployments:DeploymentsView",
    ),
    ViewSpec(
        "activity",
        str(QT_TRANSLATE_NOOP("MainWindow", "Activity")),
        "faststore_desktop.ui.views.activity:ActivityView",
    ),
)


def view_row(name: str) -> int | None:
    """The navigation row of the view named `name`."""
    return next((row for row, spec in enumerate(VIEWS) if spec.name == name), None)
