"""Copying a value to the clipboard for a short while, kept out of clipboard history.

The OS is told not to record the copy (KDE Klipper's password-manager hint, Windows' clipboard
history exclusion, macOS' concealed type); after `CLEAR_AFTER_MS` the clipboard is emptied if it
still holds the value. Only a digest of the value is kept in memory to compare.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QObject, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

CLEAR_AFTER_MS = 30_000

#: Clipboard formats asking history managers to ignore the copy.
_HISTORY_OPT_OUT = {
    "x-kde-passwordManagerHint": b"secret",
    'application/x-qt-windows-mime;value="ExcludeClipboardContentFromMonitorProcessing"': b"\0",
    'application/x-qt-windows-mime;value="CanIncludeInClipboardHistory"': b"\0\0\0\0",
    "org.nspasteboard.ConcealedType": b"",
}


class SecureClipboard(QObject):
    def __init__(
        self, parent: QObject | None = None, *, clear_after_ms: int = CLEAR_AFTER_MS
    ) -> None:
        super().__init__(parent)
        self._digest = b""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(clear_after_ms)
        self._timer.timeout.connect(self.clear_if_unchanged)

    def copy(self, value: str) -> None:
        data = QMimeData()
        data.setText(value)
        for mime, payload in _HISTORY_OPT_OUT.items():
            data.setData(mime, payload)
        self._clipboard().setMimeData(data, QClipboard.Mode.Clipboard)
        self._digest = _digest(value)
        self._timer.start()

    def clear_if_unchanged(self) -> None:
        clipboard = self._clipboard()
        if self._digest and _digest(clipboard.text()) == self._digest:
            clipboard.clear(QClipboard.Mode.Clipboard)
        self._digest = b""

    @staticmethod
    def _clipboard() -> QClipboard:
        clipboard = QGuiApplication.clipboard()
        assert clipboard is not None
        return clipboard


def _digest(text: str) -> bytes:
    import hashlib  # on the first copy, not while the window is built

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
