"""Masks and fingerprints show no value; the review diff lists each change with its findings."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from faststore_desktop.core.changeset import ChangeSet, OpKind, create, delete, update
from faststore_desktop.core.entries import Entry, EntryType
from faststore_desktop.core.review import HIDDEN, DiffRow, fingerprint, mask, review

TEXT, SECRET = EntryType.TEXT, EntryType.SECRET
MASK = re.compile(r"•••••• (\d+) chars? · ([0-9a-f]{8})")
values = st.text(st.characters(exclude_categories=[]), min_size=1, max_size=60)


def entry(key: str, type: EntryType, value: str | None, version: int = 1) -> Entry:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    return Entry(key, type, value if type is TEXT else None, version, at, at, "someone")


# -- fingerprints and masks -------------------------------------------------------------------


def test_a_fingerprint_is_8_hex_digits_stable_across_runs() -> None:
    assert fingerprint("hello") == fingerprint("hello")
    assert re.fullmatch(r"[0-9a-f]{8}", fingerprint("hello"))
    # Pinned: fingerprints are compared across machines and stored in history.
    assert fingerprint("hello") == "f084db86"


def test_a_fingerprint_is_not_a_plain_sha256_of_the_value() -> None:
    plain = hashlib.sha256(b"hello").hexdigest()
    assert fingerprint("hello") not in plain


def test_different_values_have_different_fingerprints() -> None:
    prints = {fingerprint(f"token-{n}") for n in range(1000)}
    assert len(prints) == 1000


@settings(max_examples=200)
@given(values)
def test_a_mask_holds_only_the_length_and_the_fingerprint(value: str) -> None:
    match = MASK.fullmatch(mask(value))
    assert match is not None
    assert int(match[1]) == len(value)
    assert match[2] == fingerprint(value)


@settings(max_examples=200)
@given(st.text(st.characters(exclude_categories=[]), min_size=4, max_size=60))
def test_a_mask_never_contains_the_value(value: str) -> None:
    assume(value not in "•••••• chars · 0123456789abcdef")
    assert value not in mask(value)


def test_masks_of_the_special_cases() -> None:
    assert mask(None) == HIDDEN
    assert mask("") == "empty"
    assert mask("x") == f"•••••• 1 char · {fingerprint('x')}"
    assert mask("\ud800x").startswith("•••••• 2 chars · ")  # lone surrogates do not crash


# -- the review diff --------------------------------------------------------------------------

CURRENT = {
    "API_URL": entry("API_URL", TEXT, "https://api.example.com", version=3),
    "APP_TOKEN": entry("APP_TOKEN", SECRET, None, version=2),
    "OLD": entry("OLD", TEXT, "old value", version=5),
}


def test_review_masks_every_value_before_and_after() -> None:
    changes = ChangeSet(
        [
            create("NEW_KEY", SECRET, "brand-new-secret"),
            update("API_URL", "https://api2.example.com", 3),
            update("APP_TOKEN", "rotated-token", 2),
            delete("OLD", 5),
        ]
    )
    rows = review(changes, CURRENT)
    assert rows == [
        DiffRow("NEW_KEY", OpKind.CREATE, SECRET, "", mask("brand-new-secret"), ()),
        DiffRow(
            "API_URL",
            OpKind.UPDATE,
            TEXT,
            mask("https://api.example.com"),
            mask("https://api2.example.com"),
            (),
        ),
        DiffRow("APP_TOKEN", OpKind.UPDATE, SECRET, HIDDEN, mask("rotated-token"), ()),
        DiffRow("OLD", OpKind.DELETE, TEXT, mask("old value"), "", ()),
    ]
    shown = repr(rows)
    for secret in ("brand-new", "rotated", "api2", "old value"):
        assert secret not in shown


def test_review_shows_a_type_change_and_lints_with_the_stored_type() -> None:
    current = {"NEXT_PUBLIC_ID": entry("NEXT_PUBLIC_ID", SECRET, None)}
    (kept,) = review(ChangeSet([update("NEXT_PUBLIC_ID", "G-1", 1)]), current)
    assert kept.type is SECRET
    assert [f.code for f in kept.findings] == ["next-public-secret"]
    (fixed,) = review(ChangeSet([update("NEXT_PUBLIC_ID", "G-1", 1, type=TEXT)]), current)
    assert (fixed.type, fixed.findings) == (TEXT, ())


def test_review_reports_lints_and_case_clashes_against_the_keys_after_the_change() -> None:
    changes = ChangeSet([create("Api_Url", TEXT, " spaced"), create("FRESH", TEXT, "ok")])
    clash, fresh = review(changes, CURRENT)
    assert [(f.code, f.key) for f in clash.findings] == [
        ("key-case-clash", "Api_Url"),
        ("value-whitespace", "Api_Url"),
    ]
    assert fresh.findings == ()


def test_review_lints_every_key_against_the_keys_after_the_change() -> None:
    current = {key: entry(key, TEXT, "v", 3) for key in ("API_URL", "STORE", "OTHER")}
    changes = ChangeSet(
        [
            create("Api_Url", TEXT, "https://example.com"),
            delete("API_URL", 3),  # replaced by the new spelling: no clash
            create("NEXT_PUBLIC_TOKEN", SECRET, ""),
            update("STORE", " name", 3),
            create("store", TEXT, "x"),
        ]
    )
    rows = {row.key: [f.code for f in row.findings] for row in review(changes, current)}
    assert rows == {
        "Api_Url": [],
        "API_URL": [],
        "NEXT_PUBLIC_TOKEN": ["next-public-secret", "value-empty"],
        "STORE": ["key-case-clash", "value-whitespace"],
        "store": ["key-case-clash"],
    }


def test_review_reports_what_changed_since_the_entries_were_read() -> None:
    changes = ChangeSet(
        [
            create("API_URL", TEXT, "x"),
            update("APP_TOKEN", "new", 1),
            delete("GONE", 4),
            update("MISSING", "v", 1),
        ]
    )
    rows = {row.key: row for row in review(changes, CURRENT)}
    assert [f.code for f in rows["API_URL"].findings] == ["entry-exists"]
    changed = rows["APP_TOKEN"].findings[0]
    assert changed.code == "entry-changed"
    assert "version 1, now 2" in changed.message
    assert [f.code for f in rows["GONE"].findings] == ["entry-missing"]
    assert (rows["GONE"].type, rows["GONE"].before) == (None, "")
    assert [f.code for f in rows["MISSING"].findings] == ["entry-missing"]
    assert all(f.severity == "error" for row in rows.values() for f in row.findings)


def test_an_empty_change_set_reviews_to_nothing() -> None:
    assert review(ChangeSet(), CURRENT) == []


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(exclude_categories=[]), min_size=4, max_size=60))
def test_no_review_row_contains_a_new_value(value: str) -> None:
    assume(value not in "•••••• chars · 0123456789abcdef" and value not in "APP_TOKEN")
    rows = review(ChangeSet([update("APP_TOKEN", value, 2)]), CURRENT)
    (row,) = rows
    assert value not in row.after
    assert all(value not in finding.message for finding in row.findings)
