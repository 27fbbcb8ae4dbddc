"""The legacy secrets files of the VTEX IO CLI secrets plugin.

- `secrets.revealed.json`: a flat JSON object of strings in clear, with a mandatory `account`.
- `secrets.hidden.json`: the same keys encrypted by SOPS: key names in clear, each value
  `ENC[AES256_GCM,...]`, plus a `sops` block with the encryption metadata. Only the key names are
  read; nothing is decrypted.

Every way a file can be wrong is a `Finding` naming the problem and the place (line and column
in the file), never a value.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from faststore_desktop.core.validation import Finding, Severity, has_errors, validate_key

REVEALED_FILE = "secrets.revealed.json"
HIDDEN_FILE = "secrets.hidden.json"
ACCOUNT_KEY = "account"
SOPS_BLOCK = "sops"
_ENCRYPTED = re.compile(r"ENC\[AES256_GCM,.*\]", re.DOTALL)
_JSON_TYPES = {dict: "an object", list: "a list", bool: "a boolean", int: "a number"}
_JSON_TYPES.update({float: "a number", type(None): "null"})


@dataclass(frozen=True, slots=True)
class RevealedSecrets:
    """The readable entries of secrets.revealed.json; `findings` say what is wrong with it."""

    values: dict[str, str] = field(repr=False)
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)

    def __repr__(self) -> str:
        return f"RevealedSecrets(keys={sorted(self.values)}, findings={len(self.findings)})"


@dataclass(frozen=True, slots=True)
class HiddenSecrets:
    """The key names of secrets.hidden.json (values stay encrypted and unread)."""

    keys: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


def read_revealed(path: Path) -> RevealedSecrets:
    text, problem = _read(path)
    return parse_revealed(text, path.name) if problem is None else RevealedSecrets({}, (problem,))


def read_hidden(path: Path) -> HiddenSecrets:
    text, problem = _read(path)
    return parse_hidden(text, path.name) if problem is None else HiddenSecrets((), (problem,))


def parse_revealed(text: str, name: str = REVEALED_FILE) -> RevealedSecrets:
    document, findings = _parse_object(text, name)
    values: dict[str, str] = {}
    for key, value in (document or {}).items():
        line, column = _locate(text, key)
        key_findings = _key_findings(key, name, line, column)
        if not isinstance(value, str):
            key_findings.append(
                _error(
                    "legacy-not-a-string",
                    f"{name}: the value of {key} is {_describe(value)}; every value must be a "
                    "string.",
                    key,
                    line,
                    column,
                )
            )
        findings += key_findings
        if not key_findings:
            values[key] = value
    if document is not None and ACCOUNT_KEY not in document:
        findings.append(
            _error(
                "legacy-no-account",
                f'{name} has no "{ACCOUNT_KEY}" entry; the secrets plugin requires one.',
                line=1,
                column=1,
            )
        )
    return RevealedSecrets(values, tuple(findings))


def parse_hidden(text: str, name: str = HIDDEN_FILE) -> HiddenSecrets:
    document, findings = _parse_object(text, name)
    if document is None:
        return HiddenSecrets((), tuple(findings))
    if not isinstance(document.get(SOPS_BLOCK), dict):
        findings.append(
            _error(
                "legacy-not-sops",
                f'{name} is not a SOPS file: it has no "{SOPS_BLOCK}" block, so its values '
                "cannot be told apart from plain text. Was it encrypted with the secrets plugin?",
                line=1,
                column=1,
            )
        )
        return HiddenSecrets((), tuple(findings))
    keys: list[str] = []
    for key, value in document.items():
        if key == SOPS_BLOCK:
            continue
        line, column = _locate(text, key)
        key_findings = _key_findings(key, name, line, column)
        if not isinstance(value, str):
            key_findings.append(
                _error(
                    "legacy-not-a-string",
                    f"{name}: the value of {key} is {_describe(value)}; SOPS writes a string.",
                    key,
                    line,
                    column,
                )
            )
        elif not _ENCRYPTED.fullmatch(value):
            findings.append(
                _warning(
                    "legacy-not-encrypted",
                    f"{name}: the value of {key} is not encrypted (SOPS writes "
                    "ENC[AES256_GCM,...]); it is readable by anyone with the file.",
                    key,
                    line,
                    column,
                )
            )
        findings += key_findings
        if not has_errors(key_findings):
            keys.append(key)
    return HiddenSecrets(tuple(keys), tuple(findings))


def _read(path: Path) -> tuple[str, Finding | None]:
    try:
        return path.read_text(encoding="utf-8-sig"), None
    except UnicodeDecodeError as error:
        message = f"{path.name} is not UTF-8 text (byte {error.start})."
        return "", _error("legacy-unreadable", message)
    except OSError as error:
        return "", _error("legacy-unreadable", f"Cannot read {path.name}: {error.strerror}.")


def _parse_object(text: str, name: str) -> tuple[dict[str, Any] | None, list[Finding]]:
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in items:
            if key in seen:
                duplicates.append(key)
            seen[key] = value
        return seen

    try:
        document = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as error:
        # error.msg names the expected token ("Expecting ',' delimiter"), never the content.
        message = (
            f"{name} is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        )
        return None, [_error("legacy-invalid-json", message, None, error.lineno, error.colno)]
    if not isinstance(document, dict):
        message = f"{name} must hold a JSON object of keys and values, not {_describe(document)}."
        return None, [_error("legacy-not-an-object", message, line=1, column=1)]
    findings = [
        _error(
            "legacy-duplicate-key",
            f"{name}: {key} appears more than once; only the last one would count.",
            key,
            *_locate(text, key, last=True),
        )
        for key in dict.fromkeys(duplicates)
    ]
    return document, findings


def _key_findings(key: str, name: str, line: int | None, column: int | None) -> list[Finding]:
    return [
        Finding(f.severity, f.code, f"{name}: {f.message}", key, line, column)
        for f in validate_key(key)
    ]


def _locate(text: str, key: str, *, last: bool = False) -> tuple[int | None, int | None]:
    """Line and column (1-based) of `key` as an object member name in the JSON text."""
    matches = list(re.finditer(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:", text))
    if not matches:
        return None, None
    start = matches[-1 if last else 0].start()
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


def _describe(value: object) -> str:
    return _JSON_TYPES.get(type(value), "not a string")


def _error(
    code: str,
    message: str,
    key: str | None = None,
    line: int | None = None,
    column: int | None = None,
) -> Finding:
    return Finding(Severity.ERROR, code, message, key, line, column)


def _warning(
    code: str, message: str, key: str | None, line: int | None, column: int | None
) -> Finding:
    return Finding(Severity.WARNING, code, message, key, line, column)
