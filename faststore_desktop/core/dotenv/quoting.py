"""How a value is written so that Node's dotenv reads back exactly that value.

dotenv has no escapes but two: `\\n` and `\\r`, expanded inside double quotes only. So each
quoting can carry some values and not others; candidates come in order of preference and the
writer keeps the first one that reads back right where it lands in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from faststore_desktop.core.dotenv.grammar import parse_values

#: Values written without quotes: what a person would type bare and every dotenv reader agrees on.
_PLAIN = re.compile(r"[A-Za-z0-9_./:@%+,=~-]+")


def _double_quoted(value: str) -> str:
    return '"' + value.replace("\n", "\\n").replace("\r", "\\r") + '"'


def quotings(value: str) -> Iterator[str]:
    """Spellings of `value`, best first. Some may not read back: callers check each."""
    if _PLAIN.fullmatch(value):
        yield value
    single, double, backtick = f"'{value}'", _double_quoted(value), f"`{value}`"
    # A value with a line break stays on one line when it can: `\n` in double quotes.
    ordered = (
        [double, single, backtick] if "\n" in value or "\r" in value else [single, double, backtick]
    )
    # A quote that occurs in the value works only by a quirk of dotenv's (and no other reader's):
    # quotes absent from the value first, then the value bare, then the quirks.
    clean = [spelling for spelling in ordered if spelling[0] not in value]
    yield from clean
    yield value
    yield from (spelling for spelling in ordered if spelling not in clean)


def reads_back(spelling: str, value: str) -> bool:
    """True when a line `KEY=<spelling>` alone gives `value` to Node's dotenv."""
    return parse_values(f"KEY={spelling}") == {"KEY": value}
