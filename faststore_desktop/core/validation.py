"""Rules for keys and lints for values: structured findings whose messages never hold a value.

A finding's message is shown next to the field it concerns, so it names the problem and where it
is (a character position inside the value, or a line and column in a source text) but never any
part of the value. `line` and `column` are positions in a source text (a dotenv or JSON file):
the lints here judge one key and one value, say where in the message, and leave them None for
the readers of those files to fill in with the entry's position.
"""

from __future__ import annotations

import enum
import json
import re
import string
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

from faststore_desktop.core.changeset import ChangeSet, OpKind
from faststore_desktop.core.entries import EntryType


class Severity(enum.StrEnum):
    #: Saving is refused.
    ERROR = "error"
    #: Probably a mistake: the user confirms before saving.
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    #: A stable name for the rule (see docs/rules.md), e.g. "value-too-large".
    code: str
    #: Plain English for the user; never contains the value.
    message: str
    key: str | None = None
    line: int | None = None
    column: int | None = None


#: Long enough for any real name, short enough to catch a paste into the wrong field.
MAX_KEY_LENGTH = 128
MAX_VALUE_BYTES = 64 * 1024

#: Variables the build machine or the toolchain sets itself; overriding them breaks the build
#: (PATH, HOME, ...), changes how Next.js builds (NODE_ENV, NEXT_RUNTIME) or injects code into
#: every process of the build (NODE_OPTIONS, LD_PRELOAD). Compared case-insensitively: Windows
#: treats `Path` and `PATH` as one variable. Why each is here: docs/rules.md.
RESERVED_KEYS: frozenset[str] = frozenset(
    {
        # The POSIX process environment.
        "PATH",
        "HOME",
        "USER",
        "LOGNAME",
        "SHELL",
        "PWD",
        "OLDPWD",
        "TMPDIR",
        "TMP",
        "TEMP",
        "HOSTNAME",
        "LANG",
        "LC_ALL",
        "TZ",
        "TERM",
        # Windows, where the deploy runner may build locally.
        "SYSTEMROOT",
        "WINDIR",
        "COMSPEC",
        "PATHEXT",
        "USERPROFILE",
        "APPDATA",
        "LOCALAPPDATA",
        # Node.js, npm and Next.js.
        "NODE_ENV",
        "NODE_OPTIONS",
        "NODE_PATH",
        "NEXT_RUNTIME",
        "NEXT_PHASE",
        "NEXT_TELEMETRY_DISABLED",
        "CI",
        # The dynamic loader: code injection into every build process.
        "LD_PRELOAD",
        "LD_LIBRARY_PATH",
        "LD_AUDIT",
    }
)
#: Whole families the platform owns: Next.js internals, npm's configuration, macOS's loader.
RESERVED_PREFIXES: tuple[str, ...] = ("__NEXT_", "NPM_CONFIG_", "DYLD_")

#: Next.js inlines keys under this prefix into the browser bundle: their values are public.
NEXT_PUBLIC_PREFIX = "NEXT_PUBLIC_"

_KEY_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KEY_CHARACTER = re.compile(r"[A-Za-z0-9_]")
#: Fragments of a key (upper case, separators removed) that name a credential.
_SENSITIVE_FRAGMENTS = (
    "TOKEN",
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "PRIVATE",
    "CREDENTIAL",
    "APIKEY",
    "APPKEY",
    "ACCESSKEY",
    "SIGNINGKEY",
    "ENCRYPTIONKEY",
    "MASTERKEY",
    "SESSIONKEY",
    "AUTHKEY",
    "CLIENTKEY",
)
#: Whole words of a key that name a credential but are too short to match inside other words.
_SENSITIVE_WORDS = frozenset({"PWD", "PASS", "PW", "JWT", "PAT", "HMAC"})
_WORD_BOUNDARY = re.compile(r"_+|(?<=[a-z0-9])(?=[A-Z])")
_LINE_BREAKS = "\r\n"
_QUOTES = "\"'`"
_PEM_BEGIN = "-----BEGIN "


def validate_key(key: str) -> list[Finding]:
    """Errors only: a key that WebOps refuses or that the build platform owns."""
    if not key:
        return [_error("key-empty", "The key is empty.", key)]
    findings: list[Finding] = []
    if len(key) > MAX_KEY_LENGTH:
        findings.append(
            _error(
                "key-too-long",
                f"The key is {len(key)} characters long; the limit is {MAX_KEY_LENGTH}.",
                key,
            )
        )
    if not _KEY_PATTERN.fullmatch(key):
        findings.append(_error("key-invalid", _invalid_key_message(key), key))
    elif _is_reserved(key):
        findings.append(
            _error(
                "key-reserved",
                f"{key} is set by the build platform itself and cannot be overridden.",
                key,
            )
        )
    return findings


def is_public(key: str) -> bool:
    """True for a key whose value ships to every browser (the one place this rule is spelled)."""
    return key.startswith(NEXT_PUBLIC_PREFIX)


def looks_sensitive(key: str) -> bool:
    """True when the name of a key suggests a credential (a token, a password, an API key...)."""
    words = [word.upper() for word in _WORD_BOUNDARY.split(key) if word]
    compact = "".join(words)
    return any(fragment in compact for fragment in _SENSITIVE_FRAGMENTS) or any(
        word in _SENSITIVE_WORDS for word in words
    )


def lint_entry(
    key: str, type: EntryType | None, value: str, *, existing_keys: Iterable[str] = ()
) -> list[Finding]:
    """Every finding for saving `value` under `key`.

    `existing_keys` are the other keys the store will hold (the key itself may be among them).
    `type` None means "the stored type, unknown here": the lints that depend on it are skipped.
    """
    findings = validate_key(key)
    findings += _name_lints(key, type)
    findings += _case_clashes(key, existing_keys)
    findings += [replace(finding, key=key) for finding in lint_value(value)]
    return findings


def lint_value(value: str) -> list[Finding]:
    """The lints of a value alone, without a key (e.g. for a field being typed)."""
    if not value:
        return [_warning("value-empty", "The value is empty: the build will see an empty string.")]
    findings: list[Finding] = []
    size = len(value.encode("utf-8", "surrogatepass"))
    if size > MAX_VALUE_BYTES:
        findings.append(
            _error(
                "value-too-large",
                f"The value is {size:,} bytes; the limit is {MAX_VALUE_BYTES:,} bytes (64 KiB).",
            )
        )
    findings += _whitespace_lints(value)
    findings += _character_lints(value)
    if len(value) >= 2 and value[0] in _QUOTES and value[-1] == value[0]:
        findings.append(
            _warning(
                "value-quoted",
                "The value starts and ends with the same quote mark; the quotes will be part "
                "of the value. Remove them unless they are meant to be there.",
            )
        )
    return findings


def keys_after(changes: ChangeSet, existing_keys: Iterable[str]) -> set[str]:
    """The keys the store holds once `changes` are applied."""
    keys = set(existing_keys)
    for op in changes:
        if op.kind is OpKind.DELETE:
            keys.discard(op.key)
        else:
            keys.add(op.key)
    return keys


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(finding.severity is Severity.ERROR for finding in findings)


# -- keys -------------------------------------------------------------------------------------


def _is_reserved(key: str) -> bool:
    upper = key.upper()
    return upper in RESERVED_KEYS or upper.startswith(RESERVED_PREFIXES)


def _invalid_key_message(key: str) -> str:
    rule = "A key may hold only the letters A-Z and a-z, digits and underscores"
    if key[0] in string.digits:
        return f"{rule}, and must not start with a digit."
    position = next(i for i, char in enumerate(key) if not _KEY_CHARACTER.fullmatch(char))
    return (
        f"{rule}; {_describe_key_character(key[position])} at character {position + 1} "
        "is not allowed."
    )


def _describe_key_character(char: str) -> str:
    if char.isspace():
        return "a space" if char == " " else "a whitespace character"
    if char.isprintable():
        return f"'{char}'"
    return f"an invisible character (U+{ord(char):04X})"


def _name_lints(key: str, type: EntryType | None) -> list[Finding]:
    if not is_public(key):
        return []
    if type is EntryType.SECRET:
        return [
            _error(
                "next-public-secret",
                f"A {NEXT_PUBLIC_PREFIX} key is built into the pages every browser downloads, "
                "so it cannot be a secret. Make it a text variable, or remove the prefix to keep "
                "it on the server.",
                key,
            )
        ]
    if looks_sensitive(key.removeprefix(NEXT_PUBLIC_PREFIX)):
        return [
            _warning(
                "next-public-sensitive",
                f"The name looks like a credential, but a {NEXT_PUBLIC_PREFIX} key is public: "
                "its value ships to every browser. Confirm it is meant to be public.",
                key,
            )
        ]
    return []


def _case_clashes(key: str, existing_keys: Iterable[str]) -> list[Finding]:
    upper = key.upper()
    others = sorted({other for other in existing_keys if other != key and other.upper() == upper})
    return [
        _error(
            "key-case-clash",
            f"{key} differs only by case from {other}; Windows treats them as one variable "
            "and people confuse them. Use one spelling.",
            key,
        )
        for other in others
    ]


# -- values -----------------------------------------------------------------------------------


def _whitespace_lints(value: str) -> list[Finding]:
    if value.isspace():
        return [_warning("value-whitespace", "The value is only whitespace.")]
    # A text of several lines usually ends with a line break (a PEM key does): that one is fine.
    end = value.rstrip(_LINE_BREAKS) if _is_multiline_text(value) else value
    ends = [where for where, char in (("starts", value[0]), ("ends", end[-1])) if char.isspace()]
    if not ends:
        return []
    return [
        _warning(
            "value-whitespace",
            f"The value {' and '.join(ends)} with whitespace, which is usually pasted by "
            "accident and will be part of the value.",
        )
    ]


def _character_lints(value: str) -> list[Finding]:
    """Line breaks in a one-line value, NULs, control and invisible characters, lone surrogates."""
    first: dict[str, int] = {}
    counts: dict[str, int] = {}
    stripped_from, stripped_to = _stripped_bounds(value)
    for index, char in enumerate(value):
        if char == "\n" and index > 0 and value[index - 1] == "\r":
            continue  # CRLF is one line break, found at its CR
        kind = _character_kind(char, inside=stripped_from <= index < stripped_to)
        if kind:
            first.setdefault(kind, index)
            counts[kind] = counts.get(kind, 0) + 1
    findings = []
    for kind, index in first.items():
        if kind == "value-line-break" and _is_multiline_text(value):
            continue
        severity, description, consequence = _CHARACTER_RULES[kind]
        many = f" ({counts[kind]} in all)" if counts[kind] > 1 else ""
        findings.append(
            Finding(
                severity,
                kind,
                f"The value has {description} at {_position(value, index)}{many}; {consequence}",
            )
        )
    return findings


def _character_kind(char: str, *, inside: bool) -> str | None:
    if char in _LINE_BREAKS:
        # Line breaks at either end are reported by the whitespace lint.
        return "value-line-break" if inside else None
    if char == "\x00":
        return "value-nul"
    if char == "\t" or char.isprintable() or char == " ":
        return None
    category = unicodedata.category(char)
    if category == "Cc":
        return "value-control-character"
    if category == "Cs":
        return "value-broken-text"
    if category == "Cf":
        return "value-invisible-character"
    return None


#: kind -> (severity, what was found, what it means)
_CHARACTER_RULES: dict[str, tuple[Severity, str, str]] = {
    "value-line-break": (
        Severity.WARNING,
        "a line break",
        "it looks like a single line (a token or an identifier), so the break was probably "
        "pasted by accident.",
    ),
    "value-nul": (
        Severity.ERROR,
        "a NUL character",
        "an environment variable cannot hold it.",
    ),
    "value-control-character": (
        Severity.WARNING,
        "a non-printing control character",
        "it was probably pasted by accident.",
    ),
    "value-invisible-character": (
        Severity.WARNING,
        "an invisible formatting character (such as a zero-width space)",
        "it was probably pasted by accident and will be part of the value.",
    ),
    "value-broken-text": (
        Severity.ERROR,
        "broken text (a lone UTF-16 surrogate)",
        "it cannot be saved. Paste the value again from its source.",
    ),
}


def _stripped_bounds(value: str) -> tuple[int, int]:
    """Indices of the first and past the last non-whitespace character."""
    start = len(value) - len(value.lstrip())
    return start, len(value.rstrip())


def _is_multiline_text(value: str) -> bool:
    """A value meant to span lines: a PEM block, JSON, or lines of words (not one long token)."""
    text = value.strip()
    if not any(char in text for char in _LINE_BREAKS):
        return False
    if _PEM_BEGIN in text or (text[0] in "{[" and _is_json(text)):
        return True
    return any(" " in line or "\t" in line for line in text.splitlines())


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _position(value: str, index: int) -> str:
    """Where `index` is, in the words a user counts with (1-based)."""
    line = value.count("\n", 0, index)
    if line == 0:
        return f"character {index + 1}"
    column = index - value.rindex("\n", 0, index)
    return f"line {line + 1}, column {column}"


# -- findings ---------------------------------------------------------------------------------


def _error(code: str, message: str, key: str | None = None) -> Finding:
    return Finding(Severity.ERROR, code, message, key)


def _warning(code: str, message: str, key: str | None = None) -> Finding:
    return Finding(Severity.WARNING, code, message, key)
