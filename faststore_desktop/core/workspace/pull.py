"""Pulling WebOps entries into vtex.env: planned, shown as a masked diff, then written.

Text values are copied. A secret's value cannot be read back from WebOps, so a secret key is
never overwritten: when vtex.env lacks it, it is listed for the user to fill in by hand. Keys
only in vtex.env are kept. The plan holds the new text; nothing is written until the caller
writes it (through `envfile.write_env_file`).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field

from faststore_desktop.core.dotenv import DotenvError, parse_dotenv
from faststore_desktop.core.entries import Entry
from faststore_desktop.core.review import mask


class PullAction(enum.StrEnum):
    ADD = "add"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    #: A secret vtex.env lacks: its value must be typed in by hand.
    FILL_BY_HAND = "fill by hand"
    #: A secret vtex.env has: never overwritten.
    KEEP_SECRET = "kept (secret)"
    #: Only in vtex.env.
    KEEP_LOCAL = "kept (only in vtex.env)"
    #: The value cannot be written so that Node's dotenv reads it back exactly.
    CANNOT_WRITE = "cannot write"


@dataclass(frozen=True, slots=True)
class PullRow:
    key: str
    action: PullAction
    #: Masks (length and fingerprint), "" when absent: a diff that shows no value.
    before: str
    after: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class PullPlan:
    rows: tuple[PullRow, ...]
    text_before: str = field(repr=False)
    text_after: str = field(repr=False)

    @property
    def changes(self) -> tuple[PullRow, ...]:
        return tuple(r for r in self.rows if r.action in (PullAction.ADD, PullAction.UPDATE))

    @property
    def fill_by_hand(self) -> list[str]:
        return [r.key for r in self.rows if r.action is PullAction.FILL_BY_HAND]

    @property
    def writes(self) -> bool:
        return self.text_after != self.text_before


def plan_pull(env_text: str, entries: Sequence[Entry]) -> PullPlan:
    document = parse_dotenv(env_text)
    local = document.values()
    rows: list[PullRow] = []
    for entry in entries:
        before = mask(local[entry.key]) if entry.key in local else ""
        if entry.is_secret or entry.value is None:
            action = PullAction.KEEP_SECRET if entry.key in local else PullAction.FILL_BY_HAND
            rows.append(PullRow(entry.key, action, before, before))
            continue
        if local.get(entry.key) == entry.value:
            rows.append(PullRow(entry.key, PullAction.UNCHANGED, before, before))
            continue
        try:
            document.set(entry.key, entry.value)
        except DotenvError as error:
            rows.append(PullRow(entry.key, PullAction.CANNOT_WRITE, before, before, error.message))
            continue
        action = PullAction.UPDATE if entry.key in local else PullAction.ADD
        rows.append(PullRow(entry.key, action, before, mask(entry.value)))
    defined = {entry.key for entry in entries}
    rows += [
        PullRow(key, PullAction.KEEP_LOCAL, mask(value), mask(value))
        for key, value in local.items()
        if key not in defined
    ]
    return PullPlan(tuple(rows), env_text, document.render())
