"""A dotenv file as an editable document: every line kept, values as Node's dotenv 16 reads them.

The document is its text. Reading runs dotenv's own grammar over it (see grammar.py) and maps the
matches back onto lines; an edit splices the text, reads the result again and is kept only when
every key reads as intended, so an edit can never silently change another key.
"""

from __future__ import annotations

import bisect
import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass

from faststore_desktop.core.dotenv.errors import (
    DotenvEditError,
    InvalidDotenvKeyError,
    UnrepresentableValueError,
)
from faststore_desktop.core.dotenv.grammar import (
    IGNORED_KEY,
    KEY_PATTERN,
    RawAssignment,
    js_trim,
    scan,
)
from faststore_desktop.core.dotenv.quoting import quotings, reads_back
from faststore_desktop.core.validation import Finding, Severity

#: The line breaks dotenv knows (it turns each into LF before reading).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SURROGATE = re.compile("[\ud800-\udfff]")


class LineKind(enum.StrEnum):
    BLANK = "blank"
    COMMENT = "comment"
    #: A KEY=value assignment; a quoted value may run over several lines.
    ASSIGNMENT = "assignment"
    #: Anything else: kept as written, ignored by Node's dotenv, reported as a finding.
    UNPARSED = "unparsed"


@dataclass(frozen=True, slots=True)
class DotenvItem:
    """A run of lines of the document (1-based, inclusive). Holds no value."""

    kind: LineKind
    first_line: int
    last_line: int
    key: str | None = None


@dataclass(frozen=True, slots=True, repr=False)  # the lines hold values
class _Lines:
    """The text cut into lines, each with its own line break ("" for the last)."""

    contents: tuple[str, ...]
    breaks: tuple[str, ...]
    #: Where each line starts in the text and in the LF-normalized text dotenv reads.
    starts: tuple[int, ...]
    normalized_starts: tuple[int, ...]
    #: The lines joined with LF, as dotenv reads them.
    normalized: str

    @classmethod
    def of(cls, text: str) -> _Lines:
        contents: list[str] = []
        breaks: list[str] = []
        starts = [0]
        for match in _LINE_BREAK.finditer(text):
            contents.append(text[starts[-1] : match.start()])
            breaks.append(match.group())
            starts.append(match.end())
        contents.append(text[starts[-1] :])
        breaks.append("")
        normalized_starts = [0]
        for content in contents[:-1]:
            normalized_starts.append(normalized_starts[-1] + len(content) + 1)
        return cls(
            tuple(contents),
            tuple(breaks),
            tuple(starts),
            tuple(normalized_starts),
            "\n".join(contents),
        )

    @property
    def count(self) -> int:
        """Lines a reader sees: a final line break does not open another line."""
        return len(self.contents) - (1 if self.contents[-1] == "" else 0)

    def line_of(self, normalized_offset: int) -> int:
        return bisect.bisect_right(self.normalized_starts, normalized_offset) - 1

    def to_text_offset(self, normalized_offset: int) -> int:
        line = self.line_of(normalized_offset)
        return self.starts[line] + normalized_offset - self.normalized_starts[line]

    def end_of(self, line: int, *, with_break: bool) -> int:
        end = self.starts[line] + len(self.contents[line])
        return end + len(self.breaks[line]) if with_break else end


@dataclass(frozen=True, slots=True)
class _Assignment:
    raw: RawAssignment
    first_line: int  # 0-based
    last_line: int

    @property
    def key(self) -> str:
        return self.raw.key


class DotenvDocument:
    """A dotenv text, read as Node's dotenv 16 reads it, editable in place.

    `findings` report what Node's dotenv ignores or reads differently from how it looks (with
    1-based line and column); they never hold a value.
    """

    def __init__(self, text: str = "") -> None:
        self._text = text
        self._lines = _Lines.of(text)
        self._assignments = tuple(
            _Assignment(raw, self._lines.line_of(raw.start), self._lines.line_of(raw.value_end - 1))
            for raw in scan(self._lines.normalized)
        )
        self.findings: list[Finding] = sorted(
            [*self._assignment_findings(), *self._unparsed_findings()],
            key=lambda f: (f.line or 0, f.column or 0),
        )

    def __repr__(self) -> str:  # the text holds values
        return f"DotenvDocument({len(self._assignments)} assignments, {self._lines.count} lines)"

    # Reading

    def values(self) -> dict[str, str]:
        """What Node's dotenv `parse` gives: the last assignment of a key wins."""
        result: dict[str, str] = {}
        for assignment in self._assignments:
            if assignment.key != IGNORED_KEY:
                result[assignment.key] = assignment.raw.value
        return result

    def keys(self) -> list[str]:
        return list(self.values())

    def render(self) -> str:
        return self._text

    @property
    def items(self) -> tuple[DotenvItem, ...]:
        """Every line in order, grouped: an assignment is one item however many lines it spans
        (two assignments share a line only when U+2028 or U+2029 separates them)."""
        starting: dict[int, list[_Assignment]] = {}
        for assignment in self._assignments:
            starting.setdefault(assignment.first_line, []).append(assignment)
        items: list[DotenvItem] = []
        line = 0
        while line < self._lines.count:
            if assignments := starting.get(line):
                items.extend(
                    DotenvItem(LineKind.ASSIGNMENT, line + 1, a.last_line + 1, a.key)
                    for a in assignments
                )
                line = max(a.last_line for a in assignments) + 1
                continue
            content = js_trim(self._lines.contents[line])
            if not content:
                kind = LineKind.BLANK
            elif content.startswith("#"):
                kind = LineKind.COMMENT
            else:
                kind = LineKind.UNPARSED
            items.append(DotenvItem(kind, line + 1, line + 1))
            line += 1
        return tuple(items)

    # Editing

    def set(self, key: str, value: str) -> None:
        """Give `key` this value: the last assignment of the key is rewritten in place (its
        `export`, separator and comment kept), or a line is added at the end."""
        _check_key(key)
        _check_value(key, value)
        current = self.values()
        if key in current and current[key] == value:
            return
        expected = {**current, key: value}
        last = next((a for a in reversed(self._assignments) if a.key == key), None)
        for spelling in quotings(value):
            if not reads_back(spelling, value):
                continue
            # A line break inside quotes takes the file's own (dotenv reads any as LF).
            written = spelling.replace("\n", self._newline)
            text = self._appended(key, written) if last is None else self._rewritten(last, written)
            if self._adopt_if(text, expected):
                return
        raise UnrepresentableValueError(
            key,
            f"The value of {key} cannot be written so that Node's dotenv reads it back exactly "
            "(see the dotenv page of the documentation for such values).",
        )

    def remove(self, key: str) -> None:
        """Delete every assignment of `key` with its own lines; nothing happens when it has none."""
        _check_key(key)
        doomed = [a for a in self._assignments if a.key == key]
        if not doomed:
            return
        text = self._text
        for assignment in reversed(doomed):
            start, end = self._removal_span(assignment, text)
            text = text[:start] + text[end:]
        expected = {k: v for k, v in self.values().items() if k != key}
        if not self._adopt_if(text, expected):
            raise DotenvEditError(
                key,
                f"Removing {key} would change how Node's dotenv reads other lines of the file: "
                "fix the lines it reports first.",
            )

    def _adopt_if(self, text: str, expected: dict[str, str]) -> bool:
        candidate = DotenvDocument(text)
        if candidate.values() != expected:
            return False
        self._text = candidate._text
        self._lines = candidate._lines
        self._assignments = candidate._assignments
        self.findings = candidate.findings
        return True

    def _appended(self, key: str, spelling: str) -> str:
        text = self._text
        if text and not text.endswith(("\n", "\r")):
            text += self._newline
        return f"{text}{key}={spelling}{self._newline}"

    @property
    def _newline(self) -> str:
        """The file's line break, as its first line ends (LF for a file of one line)."""
        return self._lines.breaks[0] or "\n"

    def _rewritten(self, assignment: _Assignment, spelling: str) -> str:
        raw, lines, normalized = assignment.raw, self._lines, self._lines.normalized
        separator = normalized[raw.key_end : raw.value_start]
        if "\n" in separator:
            # `KEY\n=value` or `KEY:\nvalue`: valid for dotenv, but written back on one line.
            start, replacement = raw.key_end, f"={spelling}"
        elif "\n" in normalized[raw.value_start : raw.value_text_start]:
            start, replacement = raw.value_start, spelling
        else:
            # Keep the space between separator and value as the author wrote it.
            start, replacement = raw.value_text_start, spelling
        # With no value, `KEY:` takes the line break after it as its separator: the break stays.
        end = min(
            lines.to_text_offset(raw.value_end),
            lines.end_of(assignment.last_line, with_break=False),
        )
        if self._text[end : end + 1] == "#":
            replacement += " "
        return self._text[: lines.to_text_offset(start)] + replacement + self._text[end:]

    def _removal_span(self, assignment: _Assignment, text: str) -> tuple[int, int]:
        """What to cut from `text`: this document's text with only later assignments removed."""
        lines, raw = self._lines, assignment.raw
        start, end = lines.to_text_offset(raw.start), lines.to_text_offset(raw.value_end)
        line_start = lines.starts[assignment.first_line]
        after = js_trim(text[end : lines.end_of(assignment.last_line, with_break=False)])
        if js_trim(text[line_start:start]) or (after and not after.startswith("#")):
            # Its lines hold more than this assignment (text dotenv ignores, or another
            # assignment after a U+2028): remove the assignment alone.
            return start, end
        line_end = lines.end_of(assignment.last_line, with_break=True)
        if text[line_start - 1 : line_start] == "\r" and text[line_end : line_end + 1] == "\n":
            # Dropping the lines would join a lone CR and an LF into one CRLF break, losing a
            # line: drop the break before them instead.
            return line_start - 1, lines.end_of(assignment.last_line, with_break=False)
        return line_start, line_end

    # Findings

    def _assignment_findings(self) -> Iterator[Finding]:
        last_line_of: dict[str, int] = {a.key: a.first_line for a in self._assignments}
        for assignment in self._assignments:
            raw = assignment.raw
            line, column = self._position(raw.key_start)
            if raw.key == IGNORED_KEY:
                yield Finding(
                    Severity.WARNING,
                    "dotenv-ignored-key",
                    f"Node's dotenv ignores the key {IGNORED_KEY}.",
                    key=raw.key,
                    line=line,
                    column=column,
                )
            elif last_line_of[raw.key] != assignment.first_line:
                yield Finding(
                    Severity.WARNING,
                    "dotenv-duplicate-key",
                    f"{raw.key} is set again on line {last_line_of[raw.key] + 1}; "
                    "Node's dotenv uses that last one.",
                    key=raw.key,
                    line=line,
                    column=column,
                )
            if raw.unclosed_quote:
                line, column = self._position(raw.value_text_start)
                yield Finding(
                    Severity.WARNING,
                    "dotenv-unclosed-quote",
                    f"The value of {raw.key} opens a quote that does not close at its end; "
                    "Node's dotenv keeps the quote as part of the value.",
                    key=raw.key,
                    line=line,
                    column=column,
                )

    def _unparsed_findings(self) -> Iterator[Finding]:
        """A line with text outside every assignment that is not a comment is ignored by dotenv."""
        spans = [(a.raw.start, a.raw.value_end) for a in self._assignments]
        normalized = self._lines.normalized
        first_span = 0  # lines and spans both run forward: skip the spans already passed
        for line in range(self._lines.count):
            begin = self._lines.normalized_starts[line]
            end = begin + len(self._lines.contents[line])
            while first_span < len(spans) and spans[first_span][1] <= begin:
                first_span += 1
            for start, stop in _uncovered(begin, end, spans, first_span):
                text = normalized[start:stop]
                stripped = js_trim(text)
                if stripped and not stripped.startswith("#"):
                    _, column = self._position(start + text.index(stripped[0]))
                    yield Finding(
                        Severity.WARNING,
                        "dotenv-unparsed-line",
                        "This line is not a KEY=value assignment: Node's dotenv ignores it.",
                        line=line + 1,
                        column=column,
                    )
                    break

    def _position(self, normalized_offset: int) -> tuple[int, int]:
        line = self._lines.line_of(normalized_offset)
        return line + 1, normalized_offset - self._lines.normalized_starts[line] + 1


def _uncovered(
    begin: int, end: int, spans: list[tuple[int, int]], first: int
) -> Iterator[tuple[int, int]]:
    """The parts of [begin, end) outside the sorted, disjoint spans (from spans[first] on)."""
    position = begin
    for index in range(first, len(spans)):
        start, stop = spans[index]
        if start >= end:
            break
        if start > position:
            yield position, start
        position = max(position, stop)
    if position < end:
        yield position, end


def _check_key(key: str) -> None:
    # The message does not repeat a rejected key: it may be a value pasted into the wrong field.
    if not KEY_PATTERN.fullmatch(key):
        raise InvalidDotenvKeyError(
            key, "A dotenv key is made of letters, digits, underscores, dots and dashes only."
        )
    if key == IGNORED_KEY:
        raise InvalidDotenvKeyError(key, f"Node's dotenv ignores the key {IGNORED_KEY}.")


def _check_value(key: str, value: str) -> None:
    if "\0" in value:
        raise UnrepresentableValueError(
            key, f"The value of {key} holds a NUL character, which no environment variable can."
        )
    if _SURROGATE.search(value):
        raise UnrepresentableValueError(
            key, f"The value of {key} holds an invalid character that UTF-8 text cannot store."
        )


def parse_dotenv(text: str) -> DotenvDocument:
    """Read a dotenv text (any line breaks). Never fails: what is not understood is kept and
    reported in `findings`."""
    return DotenvDocument(text)
