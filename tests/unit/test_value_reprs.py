"""Objects that hold a value print without it: a repr in a log line or a traceback leaks nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from faststore_desktop.core.changeset import create
from faststore_desktop.core.dotenv import parse_dotenv
from faststore_desktop.core.entries import Entry, EntryType
from faststore_desktop.webops.local.deployments import _Build
from faststore_desktop.webops.local.entries import _Write
from faststore_desktop.webops.models import EntryVersion, Store, StoreConfig

CANARY = "canary-4f1e9b7d0a"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "holder",
    [
        Entry("API_URL", EntryType.TEXT, CANARY, 1, NOW, NOW, "ana"),
        create("API_TOKEN", EntryType.SECRET, CANARY),
        EntryVersion("API_URL", 2, EntryType.TEXT, "update", "ana", NOW, value=CANARY),
        _Write("API_TOKEN", 3, EntryType.SECRET, "update", CANARY, NOW.isoformat()),
        _Build(
            store=Store("s1", StoreConfig("Store"), NOW),
            steps=(),
            values={"API_TOKEN": CANARY},
            secret_keys=frozenset({"API_TOKEN"}),
        ),
    ],
    ids=lambda holder: type(holder).__name__,
)
def test_repr_and_str_name_the_key_but_not_the_value(holder: object) -> None:
    for text in (repr(holder), str(holder)):
        assert CANARY not in text
        assert "API_" in text


def test_a_dotenv_document_and_its_parts_print_without_the_text() -> None:
    document = parse_dotenv(f"API_TOKEN={CANARY}\n")
    parts = [document, *vars_of(document)]
    assert all(CANARY not in repr(part) for part in parts)
    assert document.values() == {"API_TOKEN": CANARY}


def vars_of(document: object) -> list[object]:
    """The document's private state, as a traceback or a debugger would print it."""
    return [getattr(document, name) for name in ("_lines", "_assignments")]
