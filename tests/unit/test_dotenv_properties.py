"""Properties of the dotenv reader and writer, and the comparison with the real Node's dotenv.

The Node tests batch many texts into one `node` run each (tests/node/parse.js). They skip when
`node` or tests/node/node_modules is missing, and fail instead when the CI variable is set.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from test_dotenv_grammar import CORPUS

from faststore_desktop.core.dotenv import (
    DotenvEditError,
    UnrepresentableValueError,
    parse_dotenv,
    parse_values,
)

NODE_DIR = Path(__file__).resolve().parents[1] / "node"
NodeParse = Callable[[list[str]], list[dict[str, str]]]

#: Pieces that matter to dotenv's grammar: quotes, escapes, comments, separators, line breaks,
#: and whitespace JavaScript and Python disagree on.
_TOKENS = [
    *"'\"`#\\=: \t\n\r\v\f",
    *["\\n", "\\r", "\\'", '\\"', "\\`", " #", "export ", "\r\n"],
    *["\u00a0", "\u2028", "\u2029", "\ufeff", "\x85", "\x1c", "\0"],
]
_ANY_CHARACTER = st.characters(exclude_categories=("Cs",))
_PIECE = st.one_of(st.sampled_from(_TOKENS), _ANY_CHARACTER)
_QUOTE = st.sampled_from(["", "", "'", '"', "`"])


def _joined(pieces: st.SearchStrategy[str], max_size: int) -> st.SearchStrategy[str]:
    return st.lists(pieces, max_size=max_size).map("".join)


VALUES = _joined(_PIECE, 12)
WRITABLE_VALUES = VALUES.map(lambda value: value.replace("\0", ""))
KEYS = st.one_of(
    st.sampled_from(["A", "B", "VTEX_ACCOUNT", "export", "a.b", "x-y", "9"]),
    st.from_regex(r"[A-Za-z0-9_.-]{1,4}", fullmatch=True),
)
_ASSIGNMENT = st.builds(
    lambda prefix, key, separator, opening, value, closing, suffix: (
        f"{prefix}{key}{separator}{opening}{value}{closing}{suffix}"
    ),
    st.sampled_from(["", "", "export ", "  ", "export\t", "export\n", "\u00a0"]),
    st.one_of(KEYS, st.just("__proto__")),
    st.sampled_from(["=", "=", " = ", ": ", ":", "=\n", ":\n", "\n=", " ="]),
    _QUOTE,
    VALUES,
    _QUOTE,
    st.sampled_from(["", "", " # c", "#c", "  ", " 'x'"]),
)
_LINE = st.one_of(_ASSIGNMENT, _ASSIGNMENT, _joined(_PIECE, 10))
TEXTS = st.lists(st.tuples(_LINE, st.sampled_from(["\n", "\n", "\r\n", "\r"])), max_size=6).map(
    lambda lines: "".join(line + brk for line, brk in lines)
)

#: A vtex.env as people write it.
BASE = (
    "# Local settings for `faststore dev`\n"
    "export VTEX_ACCOUNT=storeframework\n"
    "\n"
    "FS_DISCOVERY_APP_KEY='vtexappkey-store-ABC' # the app key\n"
    'WELCOME="Hello\\nWorld"\n'
    "A: spaced value\n"
)


def is_always_writable(value: str) -> bool:
    """The values the writer promises to write (docs/dotenv.md): one quoting must carry them.

    Single quotes and backticks carry anything but their own quote and a CR; double quotes
    anything but `"` and text that reads as an escape (a backslash before n or r)."""
    double_quotes_fit = '"' not in value and "\\n" not in value and "\\r" not in value
    if "\r" in value:
        return double_quotes_fit
    return "'" not in value or "`" not in value or double_quotes_fit


@pytest.mark.parametrize("base", ["", BASE], ids=["empty", "vtex.env"])
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(key=KEYS, value=WRITABLE_VALUES)
def test_write_then_read_is_the_identity(base: str, key: str, value: str) -> None:
    document = parse_dotenv(base)
    before = document.values()
    try:
        document.set(key, value)
    except UnrepresentableValueError as error:
        assert not is_always_writable(value)
        assert error.key == key
        assert document.render() == base  # a refused edit changes nothing
        return
    assert document.values() == {**before, key: value}
    assert parse_values(document.render()) == {**before, key: value}


@settings(max_examples=200, deadline=None)
@given(text=TEXTS)
def test_reading_never_fails_and_keeps_the_text(text: str) -> None:
    document = parse_dotenv(text)
    assert document.render() == text
    assert document.values() == parse_values(text)
    items = document.items
    assert [i.first_line for i in items] == sorted(i.first_line for i in items)
    for finding in document.findings:
        assert finding.line is not None and finding.column is not None


def _lines_of(text: str) -> list[str]:
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z", text)


def _contents_of(text: str) -> list[str]:
    return [line.rstrip("\r\n") for line in _lines_of(text)]


def _spans_of(text: str, key: str) -> list[tuple[int, int]]:
    """The (0-based, end-exclusive) lines of each assignment of `key`."""
    items = parse_dotenv(text).items
    return [(i.first_line - 1, i.last_line) for i in items if i.key == key]


@settings(max_examples=200, deadline=None)
@given(text=TEXTS, key=KEYS, value=WRITABLE_VALUES)
def test_set_touches_only_the_lines_of_the_key(text: str, key: str, value: str) -> None:
    spans = _spans_of(text, key)
    document = parse_dotenv(text)
    try:
        document.set(key, value)
    except UnrepresentableValueError:
        return
    before, after = _lines_of(text), _lines_of(document.render())
    if not spans:
        assert document.render().startswith(text)
        assert document.render()[len(text) :].lstrip("\r\n").startswith(f"{key}=")
        return
    first, end = spans[-1]
    unchanged_below = len(before) - end
    assert after[:first] == before[:first]
    assert after[len(after) - unchanged_below :] == before[end:]


@settings(max_examples=200, deadline=None)
@given(text=TEXTS, key=KEYS)
def test_remove_drops_the_lines_of_the_key_and_nothing_else(text: str, key: str) -> None:
    spans = _spans_of(text, key)
    document = parse_dotenv(text)
    expected = {k: v for k, v in document.values().items() if k != key}
    try:
        document.remove(key)
    except DotenvEditError:  # refused: another key would read differently
        assert document.render() == text
        return
    assert document.values() == expected
    if "\u2028" not in text and "\u2029" not in text:  # else an assignment may start mid-line
        kept = [
            line
            for n, line in enumerate(_contents_of(text))
            if not any(a <= n < b for a, b in spans)
        ]
        assert _contents_of(document.render()) == kept


# Against the real Node's dotenv


def require_node(node_dir: Path) -> None:
    """Skip, saying why, when Node's dotenv cannot run; in CI that is a failure instead."""
    if shutil.which("node") is None:
        reason = "node is not installed: cannot compare with Node's dotenv"
    elif not (node_dir / "node_modules" / "dotenv").is_dir():
        reason = "tests/node/node_modules is missing: run `npm ci --prefix tests/node`"
    else:
        return
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.mark.parametrize(
    ("ci", "outcome"), [("", pytest.skip.Exception), ("1", pytest.fail.Exception)]
)
def test_missing_node_modules_skip_locally_and_fail_in_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ci: str, outcome: type[BaseException]
) -> None:
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="node_modules is missing"):
        require_node(tmp_path)


@pytest.fixture(scope="module")
def node_parse() -> NodeParse:
    require_node(NODE_DIR)

    def parse(texts: list[str]) -> list[dict[str, str]]:
        completed = subprocess.run(
            ["node", str(NODE_DIR / "parse.js")],
            input=json.dumps(texts).encode(),
            capture_output=True,
            check=True,
            timeout=60,
        )
        results: list[dict[str, str]] = json.loads(completed.stdout)
        return results

    return parse


def test_corpus_is_what_node_reads(node_parse: NodeParse) -> None:
    got = node_parse([text for _, text, _ in CORPUS])
    mismatches = [
        name for (name, _, expected), result in zip(CORPUS, got, strict=True) if result != expected
    ]
    assert not mismatches


def _disagreements(
    texts: list[str], ours: list[dict[str, str]], node: list[dict[str, str]]
) -> list[tuple[str, dict[str, str], dict[str, str]]]:
    return [(t, o, n) for t, o, n in zip(texts, ours, node, strict=True) if o != n][:3]


#: Each example is one `node` run over a batch of texts. No shrinking (every step would be another
#: run): a failure lists the first texts on which the two readers disagree instead.
NODE_BATCHES = settings(
    max_examples=10,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.data_too_large],
)


@NODE_BATCHES
@given(texts=st.lists(st.one_of(TEXTS, _joined(_PIECE, 30)), min_size=150, max_size=150))
def test_reader_agrees_with_node(node_parse: NodeParse, texts: list[str]) -> None:
    ours = [parse_dotenv(text).values() for text in texts]
    assert not _disagreements(texts, ours, node_parse(texts))


@NODE_BATCHES
@given(
    edits=st.lists(
        st.tuples(st.one_of(st.just(BASE), TEXTS), KEYS, WRITABLE_VALUES), min_size=80, max_size=80
    )
)
def test_node_reads_back_what_was_written(
    node_parse: NodeParse, edits: list[tuple[str, str, str]]
) -> None:
    written: list[str] = []
    expected: list[dict[str, str]] = []
    for text, key, value in edits:
        document = parse_dotenv(text)
        try:
            document.set(key, value)
        except UnrepresentableValueError:
            continue
        written.append(document.render())
        expected.append({**parse_values(text), key: value})
    assert not _disagreements(written, expected, node_parse(written))
