# Replaces PyInstaller's own hook for PySide6.QtGui (user hooks win): the same collection, minus
# the plugins qt_trim.py leaves out. Dropping them here, before PyInstaller looks for the
# libraries each binary needs, also keeps out what only they load (GTK 3, cairo...).
import sys
from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from qt_trim import keep_binary

hiddenimports, _binaries, datas = add_qt6_dependencies(__file__)
binaries = [(src, dest) for src, dest in _binaries if keep_binary(f"{dest}/{Path(src).name}")]
