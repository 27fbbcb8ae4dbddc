"""core/ holds the rules only: it must import no Qt (and no network client)."""

import ast
from pathlib import Path

import faststore_desktop.core as core

FORBIDDEN = ("PySide6", "shiboken6", "qasync", "httpx")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_module_under_core_imports_qt_or_network() -> None:
    files = sorted(Path(core.__file__).parent.rglob("*.py"))
    assert len(files) >= 3
    offenders = {
        f"{path.name}: {name}"
        for path in files
        for name in imported_modules(path)
        if name.split(".")[0] in FORBIDDEN
    }
    assert not offenders


def test_the_check_catches_a_qt_import(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("from PySide6.QtCore import QObject\n")
    assert "PySide6.QtCore" in imported_modules(sample)


def test_importing_all_of_core_loads_no_qt_even_indirectly() -> None:
    """What core imports from elsewhere (e.g. webops' models) must not pull Qt in either."""
    import subprocess
    import sys

    package = Path(core.__file__).parent
    modules = sorted(
        "faststore_desktop.core." + ".".join(path.relative_to(package).with_suffix("").parts)
        for path in package.rglob("*.py")
        if path.name != "__init__.py"
    )
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(FORBIDDEN)!r}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert len(modules) >= 10
    assert result.stdout.strip() == "[]"
