"""The About dialog: the version from package metadata, and every bundled component's licence."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from pytestqt.qtbot import QtBot

from faststore_desktop import __version__
from faststore_desktop.resources import resource_path
from faststore_desktop.ui.dialogs.about import AboutDialog, bundled_components, licence_text


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
    assert dialog.list.currentItem() is first
    assert first.text(0).startswith("Qt 6")
    assert first.text(1) == metadata.version("PySide6-Essentials")
    assert first.text(2) == "LGPL-3.0-only"
    shown = dialog.licence.toPlainText()
    assert "GNU Lesser General Public License" in shown
    assert "GNU GENERAL PUBLIC LICENSE" in shown
    assert "https://download.qt.io/official_releases/QtForPython/" in shown
    assert "download.qt.io" in dialog.source.text()


def test_selecting_a_component_shows_its_own_licence(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    names = [c.name for c in dialog.components]
    row = names.index("keyring")
    dialog.list.setCurrentItem(dialog.list.topLevelItem(row))
    assert "Permission is hereby granted" in dialog.licence.toPlainText()  # MIT
    assert "github.com/jaraco/keyring" in dialog.source.text()


def test_every_runtime_dependency_is_listed_with_a_readable_licence() -> None:
    components = bundled_components()
    listed = {c.name.split(" ")[0].lower() for c in components}
    requirement_names = [
        r.split(">")[0].split("=")[0].split("<")[0].split("!")[0].split(";")[0].strip().lower()
        for r in metadata.requires("faststore-desktop") or []
        if "extra ==" not in r
    ]
    for name in requirement_names:
        expected = "qt" if name.startswith("pyside6") else name
        assert expected in listed, f"{name} has no entry in resources/licenses/components.json"
    folder: Path = resource_path("licenses")
    for component in components:
        for file in component.files:
            assert (folder / file).is_file(), f"{component.name}: {file} is missing"
        if component.files:
            assert len(licence_text(component)) > 200
