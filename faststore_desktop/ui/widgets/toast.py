"""Short messages that appear at the bottom right of a window and go away by themselves."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from faststore_desktop.ui.icons import icon

#: How long a toast stays, in milliseconds, by kind (errors stay longer: they need reading).
_DURATION_MS = {"success": 4000, "info": 4000, "error": 9000}
_MARGIN = 16
_MAX_TEXT_WIDTH = 380


class Toast(QFrame):
    def __init__(self, text: str, kind: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("toast")
        self.setProperty("kind", kind)
        self.setAccessibleName(text)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 14, 8)
        badge = QLabel(self)
        badge.setPixmap(icon(kind if kind in _DURATION_MS else "info").pixmap(16, 16))
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        # Word wrap makes a label as narrow as it can be: keep short messages on one line.
        one_line = self.label.fontMetrics().horizontalAdvance(text) + 4
        self.label.setMinimumWidth(min(one_line, _MAX_TEXT_WIDTH))
        self.label.setMaximumWidth(_MAX_TEXT_WIDTH)
        layout.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        QTimer.singleShot(_DURATION_MS.get(kind, 4000), self.deleteLater)


class ToastArea(QWidget):
    """Stacks toasts over the bottom-right corner of `host`, following its size."""

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.setObjectName("toastArea")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, False)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(8)
        self._layout.addStretch(1)
        host.installEventFilter(self)
        self.hide()

    def show_message(self, text: str, kind: str = "success") -> Toast:
        toast = Toast(text, kind, self)
        toast.destroyed.connect(self._reposition)
        self._layout.addWidget(toast, 0, Qt.AlignmentFlag.AlignRight)
        self.show()
        self.raise_()
        self._reposition()
        # Screen readers announce an alert; a toast that is only painted would go unheard.
        # (QAccessible is named only here: loading its ~10 enums is not for the first frame.)
        from PySide6.QtGui import QAccessible, QAccessibleEvent

        QAccessible.updateAccessibility(QAccessibleEvent(toast, QAccessible.Event.Alert))
        return toast

    def messages(self) -> list[str]:
        """The texts on screen, oldest first."""
        return [t.label.text() for t in self.findChildren(Toast) if not t.isHidden()]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self._reposition()
        return False

    def _reposition(self) -> None:
        host = self.parentWidget()
        if host is None:
            return
        self.adjustSize()
        size = self.sizeHint()
        self.setGeometry(
            host.width() - size.width() - _MARGIN,
            host.height() - size.height() - _MARGIN,
            size.width(),
            size.height(),
        )
        self.setVisible(self._layout.count() > 1)
