"""A read-only log that keeps up with builds printing thousands of lines a second.

Lines are buffered and written to the editor at most once per frame (16 ms), in chunks, so a
burst never freezes the window. The view follows the end of the log until the user scrolls up,
and follows again once they scroll back to the bottom. Lines a program wrote to stderr show in
the error colour, lines of the runner itself dimmed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from faststore_desktop.ui.widgets.status_badge import status_color
from faststore_desktop.webops.models import DeploymentStatus

#: One frame at 60 Hz: appends arriving within it are written together.
FLUSH_INTERVAL_MS = 16
#: Lines written per frame at most, so a huge burst spreads over frames of ~10 ms each.
LINES_PER_FLUSH = 2000
#: Older lines are dropped beyond this, to bound memory.
DEFAULT_MAX_LINES = 200_000
#: Streams of a line (as in `LogLine.stream`).
STDOUT, STDERR, SYSTEM = "stdout", "stderr", "system"


class LogView(QWidget):
    """Log text with live following, find (the Find button or Ctrl+F) and copy."""

    #: Emitted when following the end starts or stops (the user scrolled away or back).
    followingChanged = Signal(bool)

    def __init__(
        self, parent: QWidget | None = None, *, max_lines: int = DEFAULT_MAX_LINES
    ) -> None:
        super().__init__(parent)
        self._pending: list[tuple[str, str]] = []  # (stream, text)
        self._following = True
        self._marked = ""  # the text of the last find, marked where it shows
        # True while the view moves its own scroll bar (appending, relayout): not the user.
        self._moving_itself = False

        self._editor = QPlainTextEdit(self)
        self._editor.setObjectName("logText")
        self._editor.setAccessibleName(self.tr("Step log"))
        self._editor.setReadOnly(True)
        self._editor.setUndoRedoEnabled(False)
        self._editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self._editor.setMaximumBlockCount(max_lines)
        self._editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._editor.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self._editor.setPlaceholderText(self.tr("No output yet."))
        scrollbar = self._editor.verticalScrollBar()
        scrollbar.valueChanged.connect(self._on_scrolled)
        scrollbar.rangeChanged.connect(self._on_range_changed)

        self._flush_timer = QTimer(self)
        self._flush_timer.setInterval(FLUSH_INTERVAL_MS)
        self._flush_timer.timeout.connect(self._flush_chunk)

        self._follow_button, self._find_button, self._wrap_button, self._copy_button = (
            self._build_tool_buttons()
        )

        self._find_bar = _FindBar(self)
        self._find_bar.hide()
        self._find_bar.search.connect(self.find_text)
        self._find_bar.closed.connect(self.clear_find)
        self._find_bar.closed.connect(self._editor.setFocus)

        # Ctrl+F in the log finds in the log, even when the window has its own Find shortcut.
        self._editor.installEventFilter(self)

        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        tools.addWidget(self._find_bar, 1)
        tools.addStretch(0)
        tools.addSpacing(12)  # the find bar's close button is not one of the log's tools
        tools.addWidget(self._follow_button)
        tools.addWidget(self._find_button)
        tools.addWidget(self._wrap_button)
        tools.addWidget(self._copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self._editor, 1)
        layout.addLayout(tools)

    # -- feeding ---------------------------------------------------------------------------------
    def append_line(self, text: str, stream: str = STDOUT) -> None:
        self._pending.append((stream, text))
        self._schedule()

    def append_lines(self, texts: Iterable[str], stream: str = STDOUT) -> None:
        self._pending.extend((stream, text) for text in texts)
        self._schedule()

    def clear(self) -> None:
        self._pending.clear()
        self._flush_timer.stop()
        self._editor.clear()
        self._set_following(True)

    def flush(self) -> None:
        """Write every buffered line now (the timer otherwise does it within a frame or so)."""
        while self._pending:
            self._flush_chunk()

    # -- reading ---------------------------------------------------------------------------------
    @property
    def editor(self) -> QPlainTextEdit:
        return self._editor

    @property
    def following(self) -> bool:
        return self._following

    @property
    def pending_count(self) -> int:
        return len(self._pending)

    def text(self) -> str:
        """The log as shown (buffered lines not yet written are not included)."""
        return self._editor.toPlainText()

    # -- user actions ----------------------------------------------------------------------------
    def scroll_to_end(self) -> None:
        # With wrapped lines, scrolling lays out more lines and moves the maximum on the way.
        with self._moving_scroll_bar():
            scrollbar = self._editor.verticalScrollBar()
            scrollbar.setValue(scrollbar.maximum())
        self._set_following(True)

    def set_wrapping(self, wrap: bool) -> None:
        self._wrap_button.setChecked(wrap)  # -> _apply_wrapping when it changes

    def _apply_wrapping(self, wrap: bool) -> None:
        with self._moving_scroll_bar():
            self._editor.setLineWrapMode(
                QPlainTextEdit.LineWrapMode.WidgetWidth
                if wrap
                else QPlainTextEdit.LineWrapMode.NoWrap
            )
        if self._following:
            self.scroll_to_end()

    def copy(self) -> None:
        cursor = self._editor.textCursor()
        selected = cursor.selection().toPlainText() if cursor.hasSelection() else self.text()
        QGuiApplication.clipboard().setText(selected)

    def open_find(self) -> None:
        self._find_bar.show()
        self._find_bar.focus()

    @property
    def find_has_focus(self) -> bool:
        """True while the user types in the find bar."""
        return self._find_bar.isVisible() and self._find_bar.has_focus()

    def find_text(self, text: str, backwards: bool = False) -> bool:
        """Select the next (or previous) match, wrapping around; False when there is none."""
        if not text:
            return False
        flags = QTextDocument.FindFlag(0)
        if backwards:
            flags |= QTextDocument.FindFlag.FindBackward
        found = self._editor.find(text, flags)
        if not found:
            cursor = self._editor.textCursor()
            cursor.movePosition(
                cursor.MoveOperation.End if backwards else cursor.MoveOperation.Start
            )
            self._editor.setTextCursor(cursor)
            found = self._editor.find(text, flags)
        if found:
            # Looking at a match is reading: stop following so new lines do not move it away.
            self._set_following(self._at_bottom())
        self._find_bar.show_result(found)
        self._marked = text
        self._mark_visible_matches()
        return found

    def clear_find(self) -> None:
        self._marked = ""
        self._editor.setExtraSelections([])

    # -- internals -------------------------------------------------------------------------------
    def _mark_visible_matches(self) -> None:
        """Mark the matches of the last find on the lines in view (and a screen around them).

        Only the lines in view are searched, so marking stays instant in a log of any size; it
        runs again as the view scrolls.
        """
        if not self._marked:
            return
        document = self._editor.document()
        needle = self._marked.lower()
        marker = QTextCharFormat()
        marker.setBackground(self.palette().color(QPalette.ColorRole.Highlight).lighter(160))
        marker.setForeground(self.palette().color(QPalette.ColorRole.Text))
        line_height = max(1, self._editor.fontMetrics().height())
        screen = self._editor.viewport().height() // line_height + 1
        block = document.findBlockByNumber(
            max(0, self._editor.firstVisibleBlock().blockNumber() - screen)
        )
        last = block.blockNumber() + 3 * screen
        selections: list[QTextEdit.ExtraSelection] = []
        while block.isValid() and block.blockNumber() <= last:
            found = block.text().lower().find(needle)
            while found >= 0:
                cursor = QTextCursor(document)
                cursor.setPosition(block.position() + found)
                cursor.setPosition(
                    block.position() + found + len(needle), QTextCursor.MoveMode.KeepAnchor
                )
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor
                selection.format = marker
                selections.append(selection)
                found = block.text().lower().find(needle, found + len(needle))
            block = block.next()
        self._editor.setExtraSelections(selections)

    def _build_tool_buttons(self) -> tuple[QToolButton, QToolButton, QToolButton, QToolButton]:
        """Follow log, Find, Wrap lines and Copy, in the order they are laid out."""
        follow = self._tool_button(
            "followLog",
            self.tr("Follow log ↓"),
            self.tr("Scroll to the end and keep following new lines"),
        )
        follow.clicked.connect(self.scroll_to_end)
        follow.hide()
        copy = self._tool_button(
            "copyLog", self.tr("Copy"), self.tr("Copy the selection, or the whole log if none")
        )
        copy.clicked.connect(self.copy)
        find_keys = QKeySequence(QKeySequence.StandardKey.Find).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        find = self._tool_button(
            "openFindInLog",
            self.tr("Find"),
            self.tr("Find in the log ({shortcut})").format(shortcut=find_keys),
        )
        find.setAccessibleName(self.tr("Open find in log"))
        find.clicked.connect(self.open_find)
        # Off by default: wrapping makes Qt lay out every line again when the width changes.
        wrap = self._tool_button(
            "wrapLog",
            self.tr("Wrap lines"),
            self.tr("Wrap long lines instead of scrolling sideways"),
        )
        wrap.setCheckable(True)
        wrap.toggled.connect(self._apply_wrapping)
        return follow, find, wrap, copy

    def _tool_button(self, name: str, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setToolTip(tip)
        return button

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        is_find = isinstance(event, QKeyEvent) and event.matches(QKeySequence.StandardKey.Find)
        if watched is self._editor and is_find:
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # deliver the key here instead of to a window shortcut
                return True
            if event.type() == QEvent.Type.KeyPress:
                self.open_find()
                return True
        return super().eventFilter(watched, event)

    def _schedule(self) -> None:
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush_chunk(self) -> None:
        if not self._pending:
            self._flush_timer.stop()
            return
        chunk = self._pending[:LINES_PER_FLUSH]
        del self._pending[:LINES_PER_FLUSH]
        with self._moving_scroll_bar():
            self._write(chunk)
            if self._following:
                scrollbar = self._editor.verticalScrollBar()
                scrollbar.setValue(scrollbar.maximum())
        if not self._pending:
            self._flush_timer.stop()

    def _write(self, chunk: list[tuple[str, str]]) -> None:
        """Insert lines as runs of one stream each, in one edit (one layout pass)."""
        cursor = QTextCursor(self._editor.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        formats = self._formats()
        cursor.beginEditBlock()
        separator = "\n" if not self._editor.document().isEmpty() else ""
        start = 0
        while start < len(chunk):
            stream = chunk[start][0]
            end = start + 1
            while end < len(chunk) and chunk[end][0] == stream:
                end += 1
            text = "\n".join(line for _, line in chunk[start:end])
            cursor.insertText(separator + text, formats.get(stream, formats[STDOUT]))
            separator = "\n"
            start = end
        cursor.endEditBlock()

    def _formats(self) -> dict[str, QTextCharFormat]:
        palette = self.palette()
        colours = {
            STDERR: status_color(DeploymentStatus.FAILED, palette),
            SYSTEM: _dimmed(palette),
        }
        formats = {STDOUT: QTextCharFormat()}
        for stream, colour in colours.items():
            formats[stream] = QTextCharFormat()
            formats[stream].setForeground(colour)
        return formats

    def _at_bottom(self) -> bool:
        scrollbar = self._editor.verticalScrollBar()
        return scrollbar.value() >= scrollbar.maximum()

    @contextmanager
    def _moving_scroll_bar(self) -> Iterator[None]:
        previous, self._moving_itself = self._moving_itself, True  # calls nest
        try:
            yield
        finally:
            self._moving_itself = previous

    def _on_scrolled(self, _value: int) -> None:
        self._mark_visible_matches()
        if not self._moving_itself:
            self._set_following(self._at_bottom())

    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        # The range grows as lines arrive or the view resizes; keep the end in view if following.
        if self._following:
            with self._moving_scroll_bar():
                self._editor.verticalScrollBar().setValue(maximum)

    def _set_following(self, following: bool) -> None:
        if following != self._following:
            self._following = following
            self._follow_button.setVisible(not following)
            self.followingChanged.emit(following)


def _dimmed(palette: QPalette) -> QColor:
    """Text colour moved towards the background: secondary, still readable (~4.5:1)."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    weight = 0.55
    return QColor.fromRgbF(
        text.redF() * weight + base.redF() * (1 - weight),
        text.greenF() * weight + base.greenF() * (1 - weight),
        text.blueF() * weight + base.blueF() * (1 - weight),
    )


class _FindBar(QWidget):
    """Find in log: Enter finds the next match, Shift+Enter the previous, Escape closes."""

    search = Signal(str, bool)
    closed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._field = QLineEdit(self)
        self._field.setObjectName("findInLog")
        self._field.setPlaceholderText(self.tr("Find in log"))
        self._field.setAccessibleName(self.tr("Find in log"))
        self._field.setClearButtonEnabled(True)
        self._field.returnPressed.connect(lambda: self._emit(backwards=False))
        self._result = QLabel(self)
        self._result.setObjectName("findResult")
        previous = QToolButton(self)
        previous.setText("↑")
        previous.setToolTip(self.tr("Previous match (Shift+Enter)"))
        previous.setAccessibleName(self.tr("Previous match"))
        previous.clicked.connect(lambda: self._emit(backwards=True))
        following = QToolButton(self)
        following.setText("↓")
        following.setToolTip(self.tr("Next match (Enter)"))
        following.setAccessibleName(self.tr("Next match"))
        following.clicked.connect(lambda: self._emit(backwards=False))
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip(self.tr("Close (Esc)"))
        close.setAccessibleName(self.tr("Close find"))
        close.clicked.connect(self.dismiss)
        QShortcut(QKeySequence("Shift+Return"), self._field, lambda: self._emit(backwards=True))
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self._field, self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._field, 1)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(self._result)
        layout.addWidget(close)

    def focus(self) -> None:
        self._field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._field.selectAll()

    def has_focus(self) -> bool:
        return self._field.hasFocus()

    def dismiss(self) -> None:
        self.hide()
        self._result.clear()
        self.closed.emit()

    def show_result(self, found: bool) -> None:
        self._result.setText("" if found else self.tr("Not found"))

    def _emit(self, *, backwards: bool) -> None:
        self.search.emit(self._field.text(), backwards)
