"""The grammar of Node's dotenv 16 (`parse` in dotenv/lib/main.js), translated to Python's `re`.

dotenv does not read line by line: it runs one global, multi-line JavaScript regular expression
over the whole text, so a quoted value may run over several lines and a separator or an `export`
prefix may even span a line break. Both engines backtrack the same way (ordered alternation,
greedy and lazy quantifiers), so a faithful translation gives the same matches. What differs is
spelled out explicitly here:

- JavaScript's `\\s` is a different set from Python's (it has U+FEFF, Python has U+001C-U+001F
  and U+0085), and `String.prototype.trim` strips exactly the JavaScript set.
- JavaScript's `\\w` is ASCII only.
- In multi-line mode `^` and `$` match next to any JavaScript line terminator (LF, CR, U+2028,
  U+2029), and `.` matches anything but those.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

#: JavaScript's `\s`: WhiteSpace and LineTerminator of ECMAScript.
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(
    map(chr, range(0x2000, 0x200B))
)
_JS_LINE_TERMINATORS = "\n\r\u2028\u2029"

_S = f"[{re.escape(_JS_SPACE)}]"
_LINE_START = f"(?<![^{_JS_LINE_TERMINATORS}])"  # JS `^` with the m flag
_LINE_END = f"(?![^{_JS_LINE_TERMINATORS}])"  # JS `$` with the m flag
_ANY_BUT_TERMINATOR = f"[^{_JS_LINE_TERMINATORS}]"  # JS `.`

#: dotenv 16's LINE expression, after its leading `(?:^|^)\s*` (see _matches):
#: /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|
#:  \s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/mg
_LINE_AFTER_SPACE = re.compile(
    f"(?P<export>export{_S}+)?"
    + r"(?P<key>[A-Za-z0-9_.-]+)"
    + f"(?P<separator>{_S}*={_S}*?|:{_S}+?)"
    + "(?P<value>"
    + f"{_S}*'(?:\\\\'|[^'])*'"
    + f'|{_S}*"(?:\\\\"|[^"])*"'
    + f"|{_S}*`(?:\\\\`|[^`])*`"
    + r"|[^#\r\n]+"
    + ")?"
    + f"{_S}*(?:#{_ANY_BUT_TERMINATOR}*)?"
    + _LINE_END
)

#: /^(['"`])([\s\S]*)\1$/mg, applied to the trimmed value.
_SURROUNDING_QUOTES = re.compile(f"{_LINE_START}(['\"`])([\\s\\S]*)\\1{_LINE_END}")

_NON_SPACE = re.compile(f"[^{re.escape(_JS_SPACE)}]")
_LINE_TERMINATOR = re.compile(f"[{_JS_LINE_TERMINATORS}]")

#: /\r\n?/mg: dotenv turns every CRLF and lone CR into LF before matching.
_LINE_BREAK = re.compile(r"\r\n?")

#: A key dotenv's expression can read.
KEY_PATTERN = re.compile(r"[A-Za-z0-9_.-]+")

#: Assigning this key to a JavaScript object sets its prototype, so dotenv's result never has it.
IGNORED_KEY = "__proto__"

_QUOTES = "'\"`"


def _normalize_line_breaks(text: str) -> str:
    return _LINE_BREAK.sub("\n", text)


def js_trim(text: str) -> str:
    """`String.prototype.trim`: strips JavaScript whitespace and line terminators only."""
    return text.strip(_JS_SPACE)


@dataclass(frozen=True, slots=True)
class RawAssignment:
    """One match of the expression, with offsets into the normalized text.

    `start` is where the match's first non-space character is (the `export` or the key),
    `value_start`/`value_end` the span of the raw value (empty, at the end of the separator, when
    there is none); trailing space and comment are not part of it. `value_text_start` is where the
    raw value's first non-space character is.
    """

    key: str
    value: str
    start: int
    key_start: int
    key_end: int
    value_start: int
    value_end: int
    value_text_start: int
    unclosed_quote: bool

    def __repr__(self) -> str:  # the value stays out of logs and tracebacks
        return f"RawAssignment({self.key!r}, start={self.start}, value_end={self.value_end})"


def _decode_value(raw: str) -> tuple[str, str]:
    """dotenv's value steps: trim, drop surrounding quotes, expand `\\n` and `\\r` in double quotes.

    Returns (trimmed raw value, decoded value).
    """
    trimmed = js_trim(raw)
    value = _SURROUNDING_QUOTES.sub(r"\2", trimmed)
    if trimmed[:1] == '"':
        value = value.replace("\\n", "\n").replace("\\r", "\r")
    return trimmed, value


def _line_start_from(text: str, position: int) -> int | None:
    """The first position at or after `position` where JavaScript's multi-line `^` matches."""
    if position == 0 or (0 < position <= len(text) and text[position - 1] in _JS_LINE_TERMINATORS):
        return position
    terminator = _LINE_TERMINATOR.search(text, position)
    return None if terminator is None else terminator.end()


def _matches(text: str) -> Iterator[re.Match[str]]:
    r"""What `LINE.exec` finds, one match after the other, in linear time.

    dotenv tries LINE at every line start; its `\s*` runs to the first non-space character and
    what follows depends on that position only (giving back a space cannot help: neither `export`
    nor a key starts with one). So each such position is tried once, however many line starts
    lie in the spaces before it. dotenv itself scans a run of blank lines again from each of them,
    which is quadratic.
    """
    line_start = _line_start_from(text, 0)
    while line_start is not None and line_start < len(text):
        non_space = _NON_SPACE.search(text, line_start)
        if non_space is None:
            return
        first = non_space.start()
        match = _LINE_AFTER_SPACE.match(text, first)
        if match is not None:
            yield match
            line_start = _line_start_from(text, match.end())
        else:
            line_start = _line_start_from(text, first + 1)


def scan(normalized: str) -> Iterator[RawAssignment]:
    """Every match dotenv's `parse` finds in a text whose line breaks are all LF already."""
    for match in _matches(normalized):
        raw = match.group("value") or ""
        trimmed, value = _decode_value(raw)
        # The quote starts the value but dotenv found no matching one at its end: it keeps it.
        unclosed = trimmed[:1] in _QUOTES and not (len(trimmed) >= 2 and trimmed[-1] == trimmed[0])
        export_start = match.start("export")
        key_start = match.start("key")
        if match.group("value") is None:
            value_start = value_end = match.end("separator")
        else:
            value_start, value_end = match.span("value")
        yield RawAssignment(
            key=match.group("key"),
            value=value,
            start=export_start if export_start >= 0 else key_start,
            key_start=key_start,
            key_end=match.end("key"),
            value_start=value_start,
            value_end=value_end,
            value_text_start=value_start + len(raw) - len(raw.lstrip(_JS_SPACE)),
            unclosed_quote=unclosed,
        )


def parse_values(text: str) -> dict[str, str]:
    """Exactly what dotenv 16's `parse(text)` returns (key order aside: JavaScript objects list
    integer-like keys first)."""
    result: dict[str, str] = {}
    for assignment in scan(_normalize_line_breaks(text)):
        if assignment.key != IGNORED_KEY:
            result[assignment.key] = assignment.value
    return result
