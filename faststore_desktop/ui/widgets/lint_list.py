"""The core's findings shown next to what the user types: errors and warnings, never values."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from faststore_desktop.core.validation import Finding, Severity
from faststore_desktop.ui.icons import icon_file


class LintList(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lintList")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._findings: list[Finding] = []
        self.hide()

    def set_findings(self, findings: Iterable[Finding]) -> None:
        self._findings = sorted(findings, key=lambda f: f.severity != Severity.ERROR)
        while (item := self._layout.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        for finding in self._findings:
            self._layout.addWidget(self._line(finding))
        self.setVisible(bool(self._findings))

    def findings(self) -> list[Finding]:
        return list(self._findings)

    def texts(self) -> list[str]:
        return [self._text(finding) for finding in self._findings]

    def _text(self, finding: Finding) -> str:
        """The message, after where it is when the finding is about a line of a text."""
        if finding.line is None:
            return finding.message
        return self.tr("Line %d: %s") % (finding.line, finding.message)

    def _line(self, finding: Finding) -> QLabel:
        import html  # with the first finding, not while the window is built

        error = finding.severity == Severity.ERROR
        kind = "error" if error else "warning"
        size = self.fontMetrics().height()
        badge = f'<img src="{icon_file(kind)}" width="{size}" height="{size}">'
        text = self._text(finding)
        label = QLabel(f"{badge} {html.escape(text)}", self)
        label.setObjectName(f"lint-{kind}")
        label.setProperty("severity", kind)
        label.setWordWrap(True)
        label.setAccessibleName((self.tr("Error: %s") if error else self.tr("Warning: %s")) % text)
        return label
