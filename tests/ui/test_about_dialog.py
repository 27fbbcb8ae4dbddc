"""The About dialog: the version from package metadata, and every bundled component's licence."""

from __future__ import annotations

import json
import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from faststore_desktop import __version__
from faststore_desktop.resources import resource_path
from faststore_desktop.ui.dialogs.about import (
    PYTHON_DISTRIBUTION,
    AboutDialog,
    bundled_components,
    licence_text,
)


def test_the_version_shown_is_the_package_metadata_version(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert __version__ == metadata.version("faststore-desktop")
    assert f"Version {__version__}" in dialog.findChild(type(dialog.source), "aboutVersion").text()


def test_qt_comes_first_with_its_lgpl_notice_and_where_to_get_the_source(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    first = dialog.list.topLevelItem(0)
    assert first.text(0).startswith("Qt 6")
    assert first.text(1) == metadata.version("PySide6-Essentials")
    assert first.text(2) == "LGPL-3.0-only"
    shown = dialog.licence.toPlainText()
    assert "GNU Lesser General Public License" in shown
    assert "GNU GENERAL PUBLIC LICENSE" in shown
    assert "https://download.qt.io/official_releases/QtForPython/" in shown
    assert "download.qt.io" in dialog.source.text()


def test_it_opens_with_nothing_selected_and_focus_on_close(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    assert dialog.list.currentItem() is None
    assert dialog.list.selectedItems() == []
    assert dialog.focusWidget() is dialog.close_button
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.close_button)
    assert dialog.close_button.text() == "Close" and dialog.close_button.isDefault()
    # Clicking Qt's row, whose notice is already shown, selects it like any other.
    first = dialog.list.topLevelItem(0)
    rect = dialog.list.visualItemRect(first)
    QTest.mouseClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.list.selectedItems() == [first]
    assert "GNU Lesser General Public License" in dialog.licence.toPlainText()


def test_selecting_a_component_shows_its_own_licence(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    names = [c.name for c in dialog.components]
    row = names.index("keyring")
    dialog.list.setCurrentItem(dialog.list.topLevelItem(row))
    assert "Permission is hereby granted" in dialog.licence.toPlainText()  # MIT
    assert "github.com/jaraco/keyring" in dialog.source.text()


# The Qt entry's licence and notice cover Shiboken6, PySide6's binding runtime.
COVERED_BY_ANOTHER_ENTRY = {"shiboken6": "pyside6-essentials"}
#: Environments of the three OSes the app is built for (the bundled interpreter's version).
PLATFORM_MARKERS = {
    "linux": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"},
    "win32": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
    "darwin": {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix"},
}


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_closure(environment: dict[str, str] | None = None) -> set[str]:
    """faststore-desktop's run-time requirements, recursively, as normalized names.

    Extras are followed only where a requirement asks for them, so the project's own `dev` and
    `package` extras are left out. Markers are evaluated in `environment` (the running one when
    None). A requirement of a requirement that is not installed here cannot be walked further:
    it is part of the closure but has no requirements of its own listed.
    """
    closure: set[str] = set()
    pending: list[tuple[str, frozenset[str]]] = [("faststore-desktop", frozenset())]
    while pending:
        name, extras = pending.pop()
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker is not None and not any(
                marker.evaluate({**(environment or {}), "extra": extra}) for extra in ("", *extras)
            ):
                continue
            key = _normalized(requirement.name)
            if key not in closure:
                closure.add(key)
                pending.append((requirement.name, frozenset(requirement.extras)))
    return closure


def _listed_distributions() -> dict[str, str]:
    """components.json's distributions (normalized) and their entries' names."""
    records = json.loads((resource_path("licenses") / "components.json").read_text("utf-8"))
    return {
        _normalized(record["distribution"]): record["name"]
        for record in records
        if record.get("distribution") and record["distribution"] != PYTHON_DISTRIBUTION
    }


def test_every_bundled_distribution_has_a_licence_entry() -> None:
    """What this OS's build bundles: the installed run-time closure of faststore-desktop."""
    closure = runtime_closure()
    assert {"keyring", "importlib-metadata", "zipp"} <= closure  # the walk is recursive
    assert not {"pytest", "pyinstaller"} & closure  # and leaves the dev and package extras out
    listed = _listed_distributions()
    missing = sorted(
        name
        for name in closure
        if name not in listed and COVERED_BY_ANOTHER_ENTRY.get(name) not in listed
    )
    assert not missing, (
        f"bundled without a licence entry: {', '.join(missing)}; add them to PYTHON_PACKAGES "
        "in packaging/collect_licenses.py and run it"
    )


def test_every_licence_entry_is_bundled_on_some_os() -> None:
    """An entry for something no build bundles any more is a stale claim in the About box."""
    closure = set().union(*(runtime_closure(env) for env in PLATFORM_MARKERS.values()))
    assert {"secretstorage", "pywin32-ctypes"} <= closure  # per-OS keyring helpers are in
    stale = sorted(name for dist, name in _listed_distributions().items() if dist not in closure)
    assert not stale, f"listed in components.json but no build bundles them: {', '.join(stale)}"


def test_every_listed_component_has_a_readable_licence() -> None:
    components = bundled_components()
    folder: Path = resource_path("licenses")
    for component in components:
        assert component.files, f"{component.name}: no licence file"
        for file in component.files:
            assert (folder / file).is_file(), f"{component.name}: {file} is missing"
        assert len(licence_text(component)) > 200
