"""The log viewer: bursts, following, find and copy."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QTextFormat
from PySide6.QtWidgets import QLabel, QLineEdit, QMainWindow, QPlainTextEdit, QToolButton
from pytestqt.qtbot import QtBot

from faststore_desktop.ui.widgets.log_view import LINES_PER_FLUSH, STDERR, SYSTEM, LogView
from faststore_desktop.ui.widgets.status_badge import status_color
from faststore_desktop.webops.models import DeploymentStatus


def make_view(qtbot: QtBot, max_lines: int = 200_000) -> LogView:
    view = LogView(max_lines=max_lines)
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show()
    return view


def test_a_burst_of_20000_lines_arrives_complete_and_in_order(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    lines = [f"line {i:05d} compiling module_{i % 97}" for i in range(20_000)]
    # Arrives in uneven bursts, as a build prints them.
    for start in range(0, len(lines), 1337):
        view.append_lines(lines[start : start + 1337])
    assert view.pending_count == len(lines)  # nothing written synchronously

    qtbot.waitUntil(lambda: view.pending_count == 0, timeout=10_000)

    assert view.text().split("\n") == lines
    assert view.editor.blockCount() == len(lines)


def test_writes_are_spread_over_frames(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.append_lines(str(i) for i in range(LINES_PER_FLUSH * 2 + 1))
    qtbot.waitUntil(lambda: view.pending_count < LINES_PER_FLUSH * 2 + 1, timeout=5_000)
    assert view.pending_count in {LINES_PER_FLUSH + 1, 1, 0}
    qtbot.waitUntil(lambda: view.pending_count == 0, timeout=5_000)
    assert view.editor.blockCount() == LINES_PER_FLUSH * 2 + 1


def test_follows_the_end_until_the_user_scrolls_up_then_resumes_at_the_bottom(
    qtbot: QtBot,
) -> None:
    view = make_view(qtbot)
    scrollbar = view.editor.verticalScrollBar()
    view.append_lines(f"first {i}" for i in range(500))
    view.flush()
    assert view.following
    assert scrollbar.value() == scrollbar.maximum() > 0

    scrollbar.setValue(10)  # the user scrolls up to read
    assert not view.following
    view.append_lines(f"second {i}" for i in range(500))
    view.flush()
    assert scrollbar.value() == 10  # what the user reads stays put

    scrollbar.setValue(scrollbar.maximum())  # back at the bottom: follows again
    assert view.following
    view.append_lines(f"third {i}" for i in range(500))
    view.flush()
    assert scrollbar.value() == scrollbar.maximum()


def test_follow_button_jumps_to_the_end(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.append_lines(str(i) for i in range(1000))
    view.flush()
    scrollbar = view.editor.verticalScrollBar()
    scrollbar.setValue(0)
    button = view.findChild(type(view._follow_button), "followLog")
    assert button is not None and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert view.following and scrollbar.value() == scrollbar.maximum()
    assert not button.isVisible()


def test_find_selects_matches_wrapping_around_and_reports_a_miss(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.append_lines(["npm install", "ERROR: FS_DISCOVERY_APP_KEY is missing", "done", "error 2"])
    view.flush()
    with qtbot.waitActive(view):
        view.activateWindow()
    view.editor.setFocus()
    qtbot.keyClick(view.editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    field = view.findChild(type(view._find_bar._field), "findInLog")
    assert field is not None and field.isVisible()

    qtbot.keyClicks(field, "error")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert view.editor.textCursor().blockNumber() == 1
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert view.editor.textCursor().blockNumber() == 3
    qtbot.keyClick(field, Qt.Key.Key_Return)  # wraps to the first match
    assert view.editor.textCursor().blockNumber() == 1
    assert view.editor.textCursor().selectedText().lower() == "error"

    assert len(view.editor.extraSelections()) == 2  # every match in view is marked
    assert view.findChild(QLabel, "findResult").text() == ""

    assert not view.find_text("no such text")
    assert view.findChild(QLabel, "findResult").text() == "Not found"
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert not field.isVisible()
    assert not view.editor.extraSelections()


def test_copy_takes_the_selection_or_else_the_whole_log(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.append_lines(["alpha", "beta", "gamma"])
    view.flush()
    view.copy()
    assert QGuiApplication.clipboard().text() == "alpha\nbeta\ngamma"
    assert view.find_text("beta")
    view.copy()
    assert QGuiApplication.clipboard().text() == "beta"


def test_clear_drops_buffered_lines_and_follows_again(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.append_lines(["a", "b"])
    view.clear()
    assert view.pending_count == 0 and view.text() == "" and view.following


def test_oldest_lines_are_dropped_beyond_the_limit(qtbot: QtBot) -> None:
    view = make_view(qtbot, max_lines=100)
    view.append_lines(str(i) for i in range(250))
    view.flush()
    assert view.text().split("\n") == [str(i) for i in range(150, 250)]


def test_ctrl_f_in_the_log_finds_in_the_log_even_when_the_window_has_a_find_shortcut(
    qtbot: QtBot,
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    view = LogView()
    window.setCentralWidget(view)
    window_find = QAction("Find", window)
    window_find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
    window.addAction(window_find)
    triggered: list[bool] = []
    window_find.triggered.connect(lambda: triggered.append(True))
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    view.editor.setFocus()

    qtbot.keyClick(view.editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)

    field = view.findChild(QLineEdit, "findInLog")
    assert field is not None and field.isVisible() and field.hasFocus()
    assert not triggered


def test_stderr_lines_show_in_the_error_colour_and_runner_lines_dimmed(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.append_line("$ python build.py", SYSTEM)
    view.append_lines(["compiling", "done"])
    view.append_line("Error: FS_DISCOVERY_APP_KEY is not set", STDERR)
    view.append_line("Exited with code 1", SYSTEM)
    view.flush()
    document = view.editor.document()
    assert view.text().split("\n") == [
        "$ python build.py",
        "compiling",
        "done",
        "Error: FS_DISCOVERY_APP_KEY is not set",
        "Exited with code 1",
    ]

    def colour(block: int) -> str | None:
        text_format = document.findBlockByNumber(block).begin().fragment().charFormat()
        if not text_format.hasProperty(QTextFormat.Property.ForegroundBrush):
            return None  # the editor's own text colour
        return text_format.foreground().color().name()

    error = status_color(DeploymentStatus.FAILED, view.palette()).name()
    assert colour(3) == error
    dimmed = colour(0)
    assert dimmed is not None and dimmed == colour(4) != error
    assert colour(1) is None and colour(2) is None


def test_long_lines_wrap_on_request_and_the_end_stays_in_view(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.append_lines([f"{n} " + "x" * 400 for n in range(200)])
    view.flush()
    assert view.editor.horizontalScrollBar().maximum() > 0
    button = view.findChild(QToolButton, "wrapLog")
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert view.editor.lineWrapMode() is QPlainTextEdit.LineWrapMode.WidgetWidth
    assert view.editor.horizontalScrollBar().maximum() == 0
    scrollbar = view.editor.verticalScrollBar()
    assert view.following and scrollbar.value() == scrollbar.maximum()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert view.editor.lineWrapMode() is QPlainTextEdit.LineWrapMode.NoWrap


def test_find_marks_matches_where_the_user_looks_in_a_long_log(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.append_lines(f"step {n} {'warning' if n % 10 == 0 else 'ok'}" for n in range(50_000))
    view.flush()
    assert view.find_text("WARNING")  # case-insensitive, like the find itself
    marked = view.editor.extraSelections()
    assert 0 < len(marked) < 200  # the lines around the view, not the 5,000 matches
    assert all(selection.cursor.selectedText() == "warning" for selection in marked)
    view.editor.verticalScrollBar().setValue(0)  # scrolling marks what comes into view
    first_lines = {selection.cursor.blockNumber() for selection in view.editor.extraSelections()}
    assert 0 in first_lines and 10 in first_lines


def test_the_find_button_opens_the_find_bar_and_names_its_shortcut(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    with qtbot.waitActive(view):
        view.activateWindow()
    view.append_lines(["compiling", "warning: unused import", "done"])
    view.flush()
    button = view.findChild(QToolButton, "openFindInLog")
    assert button is not None and button.isVisible()
    assert button.text() == "Find" and button.accessibleName() == "Open find in log"
    shortcut = QKeySequence(QKeySequence.StandardKey.Find).toString(
        QKeySequence.SequenceFormat.NativeText
    )
    assert shortcut and shortcut in button.toolTip()
    field = view.findChild(QLineEdit, "findInLog")
    assert field is not None and not field.isVisible()

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    assert field.isVisible() and field.hasFocus() and view.find_has_focus
    qtbot.keyClicks(field, "unused")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert view.editor.textCursor().selectedText() == "unused"
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert not field.isVisible() and not view.find_has_focus
