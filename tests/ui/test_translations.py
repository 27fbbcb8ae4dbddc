"""The English catalogue: every counted message has its plural forms, and the shipped .qm is
the one lrelease makes from the .ts."""

from __future__ import annotations

import ast
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from variables_support import install_english

import faststore_desktop
from faststore_desktop.resources import resource_path

PACKAGE = Path(faststore_desktop.__file__).parent
CATALOGUE = resource_path("translations") / "faststore_desktop_en.ts"
COMPILED = resource_path("translations") / "faststore_desktop_en.qm"


def counted_messages() -> set[tuple[str, str]]:
    """(context, source) of every counted message: `self.tr("... %n ...", "", count)` in the
    GUI's classes (context: the class) and entry_actions' `_tr(text, count)`."""
    found: set[tuple[str, str]] = set()
    for path in (PACKAGE / "ui").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                found |= {(node.name, text) for text in _texts(node, "tr", 3)}
        found |= {("EntryActions", text) for text in _texts(tree, "_tr", 2)}
    return found


def _texts(tree: ast.AST, name: str, arguments: int) -> set[str]:
    """The literal first argument of each call of `name` (a method or a function) given
    `arguments` arguments."""
    texts: set[str] = set()
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call) or len(call.args) != arguments:
            continue
        called = call.func.attr if isinstance(call.func, ast.Attribute) else None
        called = call.func.id if isinstance(call.func, ast.Name) else called
        first = call.args[0]
        if called == name and isinstance(first, ast.Constant) and isinstance(first.value, str):
            texts.add(first.value)
    return texts


def test_every_counted_message_of_a_view_or_dialog_has_its_english_plural_forms(
    qapp: QApplication,
) -> None:
    install_english()
    messages = counted_messages()
    assert len(messages) >= 15  # the walk finds them: a broken one would pass vacuously
    for context, source in sorted(messages):
        one = QCoreApplication.translate(context, source, "", 1)
        many = QCoreApplication.translate(context, source, "", 3)
        assert "(s)" not in one + many, f"{context}: {source!r} has no plural forms"
        assert "1" in one and "3" in many


def test_no_message_of_the_app_writes_a_plural_as_s_in_brackets_outside_the_catalogue() -> None:
    counted = {source for _context, source in counted_messages()}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and "(s)" in node.value
            ):
                assert node.value in counted, f"{path.name}: {node.value!r}"


def test_the_shipped_qm_is_compiled_from_the_ts(tmp_path: Path) -> None:
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")  # beside the venv's python
    if not lrelease.exists():
        pytest.fail("pyside6-lrelease (part of PySide6-Essentials) is not installed")
    fresh = tmp_path / "fresh.qm"
    subprocess.run([lrelease, str(CATALOGUE), "-qm", str(fresh)], check=True, capture_output=True)
    assert fresh.read_bytes() == COMPILED.read_bytes(), (
        "resources/translations/faststore_desktop_en.qm is stale: run "
        "pyside6-lrelease resources/translations/faststore_desktop_en.ts"
    )


def test_the_catalogue_is_well_formed() -> None:
    root = ET.parse(CATALOGUE).getroot()
    for message in root.iter("message"):
        forms = message.findall("translation/numerusform")
        assert message.get("numerus") != "yes" or len(forms) == 2
