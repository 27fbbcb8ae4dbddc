"""What both PyInstaller specs leave out, so the app and the bare baseline are built the same way.

The app imports QtCore, QtGui and QtWidgets; QtSvg's libraries arrive with the SVG icon-engine
and image-format plugins. Everything else PySide6-Essentials ships is excluded, with the Python
packages a development environment has but the app never imports.
"""

#: PySide6 modules the app does not import (their Qt libraries then stay out too).
UNUSED_QT_MODULES = [
    f"PySide6.{name}"
    for name in (
        "QtConcurrent", "QtDBus", "QtDesigner", "QtHelp", "QtNetwork", "QtOpenGL",
        "QtOpenGLWidgets", "QtPrintSupport", "QtQml", "QtQuick", "QtQuickControls2",
        "QtQuickTest", "QtQuickWidgets", "QtSql", "QtSvgWidgets", "QtTest", "QtUiTools",
        "QtXml", "QtStateMachine", "QtCanvasPainter", "scripts",
    )
]  # fmt: skip

#: Packages of the development environment that nothing in the app imports.
UNUSED_PACKAGES = [
    "tkinter", "_tkinter", "lib2to3", "setuptools", "pip", "pytest", "_pytest", "hypothesis",
    "schemathesis", "mypy", "IPython", "numpy", "PIL", "yaml", "rich", "pygments", "werkzeug",
    "requests", "PyInstaller",
]  # fmt: skip

#: Qt plugin folders that serve only excluded modules or hardware a desktop app never drives.
UNUSED_QT_PLUGIN_DIRS = frozenset(
    {
        "designer", "egldeviceintegrations", "generic", "networkinformation", "printsupport",
        "qmltooling", "sqldrivers", "tls", "wayland-graphics-integration-server",
    }
)  # fmt: skip
#: Single plugins left out: platforms for embedded screens (xcb, wayland, offscreen for the smoke
#: test and minimal stay), and the GTK 3 theme, which would copy the build machine's GTK, cairo
#: and X11 libraries into the bundle (GNOME users get the portal theme and Fusion instead).
UNUSED_QT_PLUGINS = {
    "platforms": frozenset({"qeglfs", "qlinuxfb", "qminimalegl", "qvkkhrdisplay", "qvnc"}),
    "platformthemes": frozenset({"qgtk3"}),
}

EXCLUDES = UNUSED_QT_MODULES + UNUSED_PACKAGES


def keep_binary(dest_name: str) -> bool:
    """False for a collected Qt plugin the app does not need."""
    parts = dest_name.replace("\\", "/").split("/")
    if "plugins" not in parts[:-2]:
        return True
    folder = parts[parts.index("plugins") + 1]
    stem = parts[-1].split(".")[0].removeprefix("lib")
    return folder not in UNUSED_QT_PLUGIN_DIRS and stem not in UNUSED_QT_PLUGINS.get(folder, ())
