"""Masking values in build output: every form in which a build may print a secret.

A build can print a value as it is, base64-encoded, URL-encoded or JSON-escaped (a careless
`console.log(JSON.stringify(config))`); the forms are those the bundle leak scan searches for
(`core.leakscan.encoded_forms`), so the two cannot drift apart. The lines of a multi-line value
(a PEM key printed line by line) are masked on their own too.

Log lines arrive at thousands per second, so all the forms of all the values are compiled once
per deployment into one regular expression shaped as a trie (alternatives share their prefixes),
which looks at each character of a line a bounded number of times whatever the number of
values. A line without any match costs one `search`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from faststore_desktop.core.leakscan import encoded_forms

MASK = "••••••"
#: Values shorter than this are not masked, in any form: masking "1" or "on" would garble every
#: line. From this length on every form is masked; a chance match costs a few hidden
#: characters of a log line, a missed one would cost a secret.
MASK_MIN_LENGTH = 4

_Trie = dict[str, "_Trie"]
#: Marks the end of a needle in the trie (no character is the empty string).
_END = ""


class LineMask:
    """Replaces each occurrence of a value, in any of its forms, with `MASK` in a line of text.

    Overlapping occurrences (two values sharing characters) are masked as one span, so no part
    of either is left visible. The object holds the values: it never prints them.
    """

    __slots__ = ("_count", "_pattern", "_source", "_starts")

    def __init__(self, values: Iterable[str]) -> None:
        chosen = {value for value in values if len(value) >= MASK_MIN_LENGTH}
        self._count = len(chosen)
        needles = {needle for value in chosen for needle in _needles(value)}
        self._source = _trie_regex(needles) if needles else ""
        self._pattern = re.compile(self._source) if needles else None
        #: Every start of a match, the longest one at each start; compiled at the first match.
        self._starts: re.Pattern[str] | None = None

    def __repr__(self) -> str:
        return f"LineMask({self._count} values)"

    def __call__(self, text: str) -> str:
        if self._pattern is None:
            return text
        first = self._pattern.search(text)
        if first is None:
            return text
        if self._starts is None:
            self._starts = re.compile(f"(?=({self._source}))")
        spans: list[list[int]] = []
        for match in self._starts.finditer(text, first.start()):
            start, end = match.start(), match.end(1)
            if spans and start <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], end)
            else:
                spans.append([start, end])
        pieces: list[str] = []
        done = 0
        for start, end in spans:
            pieces += (text[done:start], MASK)
            done = end
        pieces.append(text[done:])
        return "".join(pieces)


def _needles(value: str) -> Iterator[str]:
    """The text forms of `value` a log line can hold (log lines are text, decoded as UTF-8)."""
    for _form, needle in encoded_forms(value):
        yield needle.decode("utf-8", "surrogatepass")
    lines = value.splitlines()
    if len(lines) > 1:
        yield from (line for line in lines if len(line.strip()) >= MASK_MIN_LENGTH)


def _trie_regex(needles: Iterable[str]) -> str:
    """One regular expression matching any needle, the longest one where several start alike."""
    root: _Trie = {}
    for needle in needles:
        node = root
        for char in needle:
            node = node.setdefault(char, {})
        node[_END] = {}
    return _node_regex(root)


def _node_regex(node: _Trie) -> str:
    """The expression for what may follow `node`. Runs of single-child nodes become one literal,
    so recursion goes only as deep as the trie branches (a 64 KiB value is one literal)."""
    branches: list[str] = []
    leaves: list[str] = []
    for first, child in sorted(node.items()):
        if first == _END:
            continue
        literal, rest = _run_from(first, child)
        if list(rest) == [_END]:
            (leaves if len(literal) == 1 else branches).append(re.escape(literal))
        else:
            branches.append(re.escape(literal) + _node_regex(rest))
    if leaves:
        branches.append(leaves[0] if len(leaves) == 1 else f"[{''.join(leaves)}]")
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    # A needle ending here: what follows is optional, and greedy (the longest match wins).
    return f"(?:{body})?" if _END in node else body


def _run_from(first: str, node: _Trie) -> tuple[str, _Trie]:
    """The characters from `first` down to where the trie branches or a needle ends."""
    chars = [first]
    while len(node) == 1 and _END not in node:
        ((char, node),) = node.items()
        chars.append(char)
    return "".join(chars), node
