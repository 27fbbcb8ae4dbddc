"""Showing values without showing them: masks, fingerprints and the diff of a change set.

A mask tells a value's length and a short fingerprint, enough to see that two values differ or
that a paste has the expected length, never a character of the value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from faststore_desktop.core.changeset import ChangeSet, Operation, OpKind
from faststore_desktop.core.entries import Entry, EntryType
from faststore_desktop.core.validation import Finding, Severity, keys_after, lint_entry

#: Separates these fingerprints from any other SHA-256 of the same text (and versions them).
_FINGERPRINT_DOMAIN = b"faststore-desktop/value-fingerprint/v1\x00"
FINGERPRINT_LENGTH = 8
_DOTS = "\u2022" * 6
_SEPARATOR = "\u00b7"
HIDDEN = f"{_DOTS} hidden"
EMPTY = "empty"


def fingerprint(value: str) -> str:
    """8 hex digits of a domain-separated SHA-256 of the value, stable across machines.

    32 bits identify nothing on their own for any value worth keeping secret, but a value with
    few possibilities (a 4-digit PIN) can be found by trying them all: see docs/rules.md.

    Unkeyed on purpose: it masks values the user already has (typed, pasted, read from vtex.env)
    and must give the same answer in the app, over HTTP and on another machine. The embedded
    store's keyed fingerprint (`ValueCipher.fingerprint`) is the other one, for values at rest.
    """
    digest = hashlib.sha256(_FINGERPRINT_DOMAIN + value.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:FINGERPRINT_LENGTH]


def mask(value: str | None) -> str:
    """e.g. "•••••• 24 chars · a1b2c3d4"; "•••••• hidden" for a secret the service never returns."""
    if value is None:
        return HIDDEN
    if not value:
        return EMPTY
    unit = "char" if len(value) == 1 else "chars"
    return f"{_DOTS} {len(value)} {unit} {_SEPARATOR} {fingerprint(value)}"


@dataclass(frozen=True, slots=True)
class DiffRow:
    """One line of the review of a change set; `before`/`after` are masks ("" when absent)."""

    key: str
    kind: OpKind
    #: The type after the change (the stored one for a delete); None when the key is unknown.
    type: EntryType | None
    before: str
    after: str
    findings: tuple[Finding, ...]


def review(changes: ChangeSet, current: Mapping[str, Entry]) -> list[DiffRow]:
    """The change set as the user confirms it, in its order, against the entries read before.

    Findings hold the lints of each new value and the conflicts applying would meet: a key
    created meanwhile, or changed or deleted since it was read.
    """
    after_keys = keys_after(changes, current)
    rows = []
    for op in changes:
        entry = current.get(op.key)
        type = op.type or (entry.type if entry else None)
        findings = _conflicts(op, entry)
        if op.kind is not OpKind.DELETE:
            findings = lint_entry(op.key, type, op.value or "", existing_keys=after_keys) + findings
        rows.append(
            DiffRow(
                key=op.key,
                kind=op.kind,
                type=type,
                before="" if op.kind is OpKind.CREATE or entry is None else mask(entry.value),
                after="" if op.kind is OpKind.DELETE else mask(op.value),
                findings=tuple(findings),
            )
        )
    return rows


def _conflicts(op: Operation, entry: Entry | None) -> list[Finding]:
    if op.kind is OpKind.CREATE:
        if entry is None:
            return []
        return [_conflict("entry-exists", f"{op.key} already exists; edit it instead.", op.key)]
    if entry is None:
        return [
            _conflict(
                "entry-missing", f"{op.key} no longer exists: it was deleted meanwhile.", op.key
            )
        ]
    if entry.version != op.expected_version:
        return [
            _conflict(
                "entry-changed",
                f"{op.key} was changed by someone else after you read it (version "
                f"{op.expected_version}, now {entry.version}). Review it again.",
                op.key,
            )
        ]
    return []


def _conflict(code: str, message: str, key: str) -> Finding:
    return Finding(Severity.ERROR, code, message, key)
