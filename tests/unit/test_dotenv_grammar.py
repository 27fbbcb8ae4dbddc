"""Each rule of Node's dotenv 16 `parse`, as values read from a text.

The expectations are Node's own answers: test_dotenv_properties.py checks this corpus against the
real package, so a wrong expectation here fails there.
"""

from __future__ import annotations

import pytest

from faststore_desktop.core.dotenv import parse_dotenv, parse_values

#: (rule, text, what Node's dotenv gives)
CORPUS: list[tuple[str, str, dict[str, str]]] = [
    ("plain", "A=1\nB=two words", {"A": "1", "B": "two words"}),
    ("spaces around = and value are trimmed", "  A  =   x y  \n", {"A": "x y"}),
    ("empty value", "A=\nB=", {"A": "", "B": ""}),
    ("empty value then an indented line", "A=\n  x", {"A": ""}),
    ("export prefix", "export A=1\nexport\tB=2", {"A": "1", "B": "2"}),
    ("export alone is a key", "export=1", {"export": "1"}),
    ("export on its own line", "export\nA=1", {"A": "1"}),
    ("colon separator needs a space", "A: 1\nB:2", {"A": "1"}),
    ("colon then line break: value on the next line", "A:\nB", {"A": "B"}),
    ("equals on the next line", "A\n=1", {"A": "1"}),
    ("key characters", "a.b-c_D9=1\n9=x", {"a.b-c_D9": "1", "9": "x"}),
    ("not a key", "A B=1\n$A=1\nÄ=1", {}),
    ("comment lines", "# A=1\n  #B=2\nC=3", {"C": "3"}),
    ("inline comment", "A=1 # one\nB=2#two", {"A": "1", "B": "2"}),
    ("hash inside quotes", "A='1 # x'\nB=\"#\"\nC=`#`", {"A": "1 # x", "B": "#", "C": "#"}),
    ("single quotes keep everything", "A='a\\nb $C'", {"A": "a\\nb $C"}),
    ("double quotes expand \\n and \\r", 'A="a\\nb\\rc"', {"A": "a\nb\rc"}),
    ("double quotes keep other escapes", 'A="\\t\\\\x"', {"A": "\\t\\\\x"}),
    ("escaped backslash n still expands", 'A="x\\\\ny"', {"A": "x\\\ny"}),
    ("backticks keep everything", "A=`a\\nb 'c' \"d\"`", {"A": "a\\nb 'c' \"d\""}),
    ("unquoted \\n stays", "A=a\\nb", {"A": "a\\nb"}),
    ("spaces inside quotes stay", "A='  x  '", {"A": "  x  "}),
    ("multi-line double quotes", 'A="line 1\nline 2"\nB=3', {"A": "line 1\nline 2", "B": "3"}),
    ("multi-line single quotes", "A='x\n\ny'", {"A": "x\n\ny"}),
    ("multi-line backticks", "A=`x\ny`", {"A": "x\ny"}),
    ("quoted value on the next line", "A=\n'foo'", {"A": "foo"}),
    ("unclosed quote is kept", "A=\"abc\nB='x", {"A": '"abc', "B": "'x"}),
    ("unclosed quote reaching a later one", 'A="abc\nB="def"', {"A": '"abc', "B": "def"}),
    ("text after closing quote", "A='a' 'b'\nB='x' y", {"A": "a' 'b", "B": "'x' y"}),
    (
        "escaped quote inside quotes",
        'A=\'it\\\'s\'\nB="say \\"hi\\""',
        {"A": "it\\'s", "B": 'say \\"hi\\"'},
    ),
    ("no variable expansion", "A=1\nB=$A ${A}", {"A": "1", "B": "$A ${A}"}),
    ("last occurrence wins", "A=1\nB=x\nA=2", {"A": "2", "B": "x"}),
    ("CRLF line breaks", 'A=1\r\nB="x\r\ny"\r\n', {"A": "1", "B": "x\ny"}),
    ("lone CR line breaks", "A=1\rB=2\r", {"A": "1", "B": "2"}),
    ("CR inside quotes becomes LF", "A='x\ry'", {"A": "x\ny"}),
    ("byte order mark", "\ufeffA=1", {"A": "1"}),
    ("JavaScript whitespace is trimmed", "A=\u00a0x\u3000\nB=\ufeffy", {"A": "x", "B": "y"}),
    ("Python-only whitespace is kept", "A=\x1cx\x85", {"A": "\x1cx\x85"}),
    ("U+2028 ends a JavaScript line", "#c\u2028A=1\nB=x\u2028C=2", {"A": "1", "B": "x\u2028C=2"}),
    ("__proto__ is dropped", "__proto__=x\nA=1", {"A": "1"}),
    (
        "object property names are ordinary keys",
        "constructor=1\ntoString=2",
        {"constructor": "1", "toString": "2"},
    ),
    ("comment after the value swallows nothing", "A=1\n\n# c\nB=2", {"A": "1", "B": "2"}),
    ("blank lines and spaces before a key", "\n  \n\t \n  A=1\n \n", {"A": "1"}),
    ("a line of junk between blank lines", "\n\n  !\n\n B=1\n", {"B": "1"}),
    ("empty text", "", {}),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS])
def test_values_are_those_node_reads(text: str, expected: dict[str, str]) -> None:
    assert parse_values(text) == expected
    assert parse_dotenv(text).values() == expected


def test_keys_keep_first_appearance_order() -> None:
    assert parse_dotenv("B=1\nA=2\nB=3").keys() == ["B", "A"]
