"""The views of the main window's navigation, in order.

Each entry is "module:Class"; the class is a QWidget taking (context: StoreContext, parent) and
has class attributes `view_name` (an object name such as "variables"), `title` (translatable
source text) and `shortcut` (e.g. "Ctrl+1"). Modules are imported when the window is built.
"""

VIEWS: list[str] = [
    "faststore_desktop.ui.views.variables:VariablesView",
    "faststore_desktop.ui.views.local_dev:LocalDevView",
    "faststore_desktop.ui.views.migration:MigrationView",
    "faststore_desktop.ui.views.deployments:DeploymentsView",
    "faststore_desktop.ui.views.activity:ActivityView",
]
