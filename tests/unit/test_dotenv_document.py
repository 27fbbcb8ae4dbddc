"""The dotenv document: lines kept, findings with positions, edits in place, typed refusals."""

from __future__ import annotations

import pytest

from faststore_desktop.core.dotenv import (
    DotenvEditError,
    DotenvItem,
    InvalidDotenvKeyError,
    LineKind,
    UnrepresentableValueError,
    parse_dotenv,
    parse_values,
)
from faststore_desktop.core.validation import Severity

SECRET = "s3cr3t-Value"

SAMPLE = (
    "# vtex.env\n"
    "export VTEX_ACCOUNT=storeframework\n"
    "\n"
    'WELCOME="Hello\n'
    'World"\n'
    "not an assignment\n"
    "FS_DISCOVERY_APP_KEY = 'key' # the app key\n"
)


def test_every_line_is_an_item_in_order() -> None:
    assert parse_dotenv(SAMPLE).items == (
        DotenvItem(LineKind.COMMENT, 1, 1),
        DotenvItem(LineKind.ASSIGNMENT, 2, 2, "VTEX_ACCOUNT"),
        DotenvItem(LineKind.BLANK, 3, 3),
        DotenvItem(LineKind.ASSIGNMENT, 4, 5, "WELCOME"),
        DotenvItem(LineKind.UNPARSED, 6, 6),
        DotenvItem(LineKind.ASSIGNMENT, 7, 7, "FS_DISCOVERY_APP_KEY"),
    )


@pytest.mark.parametrize("text", [SAMPLE, SAMPLE.replace("\n", "\r\n"), "A=1", "", "\n\n"])
def test_render_gives_back_the_text_unchanged(text: str) -> None:
    assert parse_dotenv(text).render() == text


def test_repr_shows_no_value() -> None:
    assert SECRET not in repr(parse_dotenv(f"A={SECRET}"))


# Findings


def _codes(text: str) -> list[tuple[str, str | None, int | None, int | None]]:
    return [(f.code, f.key, f.line, f.column) for f in parse_dotenv(text).findings]


def test_an_unparsed_line_is_reported_where_its_text_starts() -> None:
    assert _codes("A=1\n   MY KEY=2\n# fine\n\n") == [("dotenv-unparsed-line", None, 2, 4)]


def test_text_before_an_assignment_on_a_javascript_line_is_reported() -> None:
    assert _codes("junk\u2028A=1") == [("dotenv-unparsed-line", None, 1, 1)]


def test_a_key_set_twice_is_reported_at_the_earlier_line() -> None:
    findings = parse_dotenv("A=1\nB=2\n  A=3\n").findings
    assert [(f.code, f.key, f.line, f.column) for f in findings] == [
        ("dotenv-duplicate-key", "A", 1, 1)
    ]
    assert "line 3" in findings[0].message


def test_an_unclosed_quote_is_reported_at_the_quote() -> None:
    assert _codes(f"A= '{SECRET}\nB=`x") == [
        ("dotenv-unclosed-quote", "A", 1, 4),
        ("dotenv-unclosed-quote", "B", 2, 3),
    ]


def test_the_key_node_drops_is_reported() -> None:
    assert _codes("__proto__=x") == [("dotenv-ignored-key", "__proto__", 1, 1)]


def test_findings_are_warnings_without_values() -> None:
    text = f"A='{SECRET}\nA={SECRET}\n{SECRET} here\n__proto__={SECRET}"
    findings = parse_dotenv(text).findings
    assert len(findings) == 4
    assert all(f.severity is Severity.WARNING for f in findings)
    assert not [f for f in findings if SECRET in f.message]


def test_a_clean_file_has_no_findings() -> None:
    assert parse_dotenv(SAMPLE.replace("not an assignment\n", "")).findings == []


# Writing: the quoting picked


@pytest.mark.parametrize(
    ("value", "line"),
    [
        ("storeframework", "K=storeframework"),
        ("https://x.io/a?b=c", "K='https://x.io/a?b=c'"),
        ("", "K=''"),
        ("two words", "K='two words'"),
        (" padded ", "K=' padded '"),
        ("a#b", "K='a#b'"),
        ("it's", 'K="it\'s"'),
        ("line 1\nline 2", 'K="line 1\\nline 2"'),
        ("cr\r\nlf", 'K="cr\\r\\nlf"'),
        ("'\"both\"'", "K=`'\"both\"'`"),
        ("a'b\"c`d", "K=a'b\"c`d"),
        ("C:\\new\nline", "K='C:\\new\nline'"),
        ('{"json": true}', "K='{\"json\": true}'"),
    ],
)
def test_quoting_is_the_simplest_that_reads_back(value: str, line: str) -> None:
    document = parse_dotenv("")
    document.set("K", value)
    assert document.render() == line + "\n"
    assert parse_values(document.render()) == {"K": value}


# Writing: edits in place


def test_set_rewrites_only_the_value_keeping_export_spacing_and_comment() -> None:
    document = parse_dotenv(SAMPLE)
    document.set("FS_DISCOVERY_APP_KEY", "new key")
    document.set("VTEX_ACCOUNT", "other")
    assert document.render() == (
        SAMPLE.replace("'key'", "'new key'").replace("=storeframework", "=other")
    )


def test_set_replaces_every_line_of_a_multi_line_value() -> None:
    document = parse_dotenv(SAMPLE)
    document.set("WELCOME", "Hi")
    assert document.render() == SAMPLE.replace('"Hello\nWorld"', "Hi")


def test_a_new_key_goes_at_the_end_with_the_files_line_breaks() -> None:
    document = parse_dotenv("# c\r\nA=1")
    document.set("B", "2")
    assert document.render() == "# c\r\nA=1\r\nB=2\r\n"


def test_setting_a_duplicated_key_rewrites_the_one_node_uses() -> None:
    document = parse_dotenv("A=1\nA=2\n")
    document.set("A", "3")
    assert document.render() == "A=1\nA=3\n"


def test_setting_the_current_value_changes_nothing() -> None:
    text = 'A = "x"   # as written\n'
    document = parse_dotenv(text)
    document.set("A", "x")
    assert document.render() == text


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("A:\nold", "A=new"),
        ("A\n=old", "A=new"),
        ("A=\n'old'", "A=new"),
        ("A: old", "A: new"),
        ("A=old#c", "A=new #c"),
        ("A=  # c", "A=  new # c"),
        ("A:\n\n", "A=new\n\n"),  # `A:` has no value: the blank line after it stays
        ("A:\r\n\r\n", "A=new\r\n\r\n"),
    ],
)
def test_odd_layouts_are_rewritten_on_one_line(text: str, written: str) -> None:
    document = parse_dotenv(text)
    document.set("A", "new")
    assert document.render() == written
    assert document.values() == {"A": "new"}


def test_a_spelling_that_would_change_another_key_is_skipped() -> None:
    # B's unclosed double quote would reach a double quote written on the next line.
    document = parse_dotenv('B="open\nA=1\n')
    document.set("A", "x\ny")
    assert document.values() == {"B": '"open', "A": "x\ny"}
    assert parse_values(document.render()) == {"B": '"open', "A": "x\ny"}


def test_remove_drops_all_lines_of_the_key_and_keeps_the_rest() -> None:
    document = parse_dotenv(SAMPLE + "WELCOME=again\n")
    document.remove("WELCOME")
    document.remove("FS_DISCOVERY_APP_KEY")
    assert document.render() == (
        "# vtex.env\nexport VTEX_ACCOUNT=storeframework\n\nnot an assignment\n"
    )


def test_remove_of_a_missing_key_changes_nothing() -> None:
    document = parse_dotenv(SAMPLE)
    document.remove("MISSING")
    assert document.render() == SAMPLE


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("junk\u2028A=1 # c\nB=2", "junk\u2028# c\nB=2"),
        ("A='1'\u2028B=2\nC=3", "\u2028B=2\nC=3"),
    ],
)
def test_remove_keeps_what_shares_a_line_with_the_assignment(text: str, left: str) -> None:
    document = parse_dotenv(text)
    document.remove("A")
    assert document.render() == left
    assert "A" not in document.values()


def test_assignments_sharing_a_line_are_items_of_their_own() -> None:
    assert parse_dotenv("A='1'\u2028B=2\nC=3").items == (
        DotenvItem(LineKind.ASSIGNMENT, 1, 1, "A"),
        DotenvItem(LineKind.ASSIGNMENT, 1, 1, "B"),
        DotenvItem(LineKind.ASSIGNMENT, 2, 2, "C"),
    )


# Refusals


@pytest.mark.parametrize("value", ['a\rb"#c', "'`\n\\n", f"'{SECRET}\"`\n#", "nul\0", "\ud800"])
def test_a_value_that_cannot_be_written_is_refused_naming_the_key_only(value: str) -> None:
    document = parse_dotenv(SAMPLE)
    with pytest.raises(UnrepresentableValueError) as caught:
        document.set("VTEX_ACCOUNT", value)
    assert caught.value.key == "VTEX_ACCOUNT"
    assert "VTEX_ACCOUNT" in caught.value.message
    assert SECRET not in str(caught.value)
    assert document.render() == SAMPLE


@pytest.mark.parametrize("key", ["", "MY KEY", f"{SECRET}=x", "Ä", "__proto__"])
def test_a_key_node_cannot_read_is_refused_without_repeating_it(key: str) -> None:
    document = parse_dotenv(SAMPLE)
    with pytest.raises(InvalidDotenvKeyError) as caught:
        document.set(key, "x")
    assert SECRET not in str(caught.value)
    with pytest.raises(InvalidDotenvKeyError):
        document.remove(key)
    assert document.render() == SAMPLE


def test_a_remove_that_would_change_another_key_is_refused() -> None:
    # Without K's line, A's opening double quote would run on to the one ending B's line.
    text = 'A="abc\nK=\'"\'\nB=1"\n'
    document = parse_dotenv(text)
    with pytest.raises(DotenvEditError) as caught:
        document.remove("K")
    assert caught.value.key == "K"
    assert document.render() == text


@pytest.mark.parametrize(
    ("text", "left"),
    [("\nA=\r0=\n\n", "\nA=\n\n"), ("X=1\rK=1\nK=2\n\n", "X=1\n\n")],
    ids=["one line", "two lines"],
)
def test_remove_never_joins_a_lone_cr_and_an_lf_into_one_break(text: str, left: str) -> None:
    document = parse_dotenv(text)
    document.remove(document.keys()[-1])
    assert document.render() == left


def test_a_line_break_inside_quotes_is_the_files_own() -> None:
    document = parse_dotenv("A=1\r\n")
    document.set("K", "x\\n\ny")  # `\n` as text rules out double quotes: single, over two lines
    assert document.render() == "A=1\r\nK='x\\n\r\ny'\r\n"
    assert document.values()["K"] == "x\\n\ny"
