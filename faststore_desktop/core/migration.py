"""Migrating a store off the legacy secrets files into WebOps.

The steps, each only after the previous one succeeded:

1. `scan_folder`: which of secrets.revealed.json, secrets.hidden.json and vtex.env are there,
   and what is wrong with them.
2. `MigrationPlan`: the keys to import as a staged change set (type secret by default, the user
   may change it), and the keys known only from secrets.hidden.json whose values the user
   supplies. Keys WebOps already has are left as they are, so a second run imports nothing.
3. `apply_plan`: one atomic apply through the WebOps protocol.
4. `verify`: every key of both files is in WebOps.
5. `remove_legacy_files`: only with a successful verification and files unchanged since the
   scan, move them to the trash and stop tracking them in git; vtex.env is kept. If a step of
   the removal fails, what was already moved is put back.
"""

from __future__ import annotations

import asyncio
import enum
import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from faststore_desktop.core.changeset import ChangeSet, create
from faststore_desktop.core.entries import Entry, EntryType
from faststore_desktop.core.legacy import (
    HIDDEN_FILE,
    REVEALED_FILE,
    HiddenSecrets,
    RevealedSecrets,
    read_hidden,
    read_revealed,
)
from faststore_desktop.core.review import DiffRow, review
from faststore_desktop.core.validation import Finding, has_errors
from faststore_desktop.core.wording import counted
from faststore_desktop.core.workspace.git import (
    GitError,
    GitNotInstalledError,
    GitRepo,
    NotARepositoryError,
)
from faststore_desktop.core.workspace.hygiene import ENV_FILE, is_tracked, untrack
from faststore_desktop.core.workspace.trash import Trash, TrashedItem, TrashError
from faststore_desktop.webops.models import ApplyResult
from faststore_desktop.webops.protocol import WebOps


class MigrationError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LegacyState(enum.StrEnum):
    NOTHING = "nothing"
    REVEALED_ONLY = "revealed-only"
    HIDDEN_ONLY = "hidden-only"
    BOTH = "both"


@dataclass(frozen=True, slots=True)
class LegacyScan:
    folder: Path
    revealed: RevealedSecrets | None
    hidden: HiddenSecrets | None
    has_env_file: bool
    #: SHA-256 of each legacy file as read, to refuse removing a file changed since.
    digests: Mapping[str, str] = field(default_factory=dict)

    @property
    def state(self) -> LegacyState:
        match self.revealed is not None, self.hidden is not None:
            case True, True:
                return LegacyState.BOTH
            case True, False:
                return LegacyState.REVEALED_ONLY
            case False, True:
                return LegacyState.HIDDEN_ONLY
        return LegacyState.NOTHING

    @property
    def findings(self) -> tuple[Finding, ...]:
        return (self.revealed.findings if self.revealed else ()) + (
            self.hidden.findings if self.hidden else ()
        )

    @property
    def readable(self) -> bool:
        """No file has an error: every key of both files is known."""
        return not has_errors(self.findings)

    @property
    def revealed_values(self) -> Mapping[str, str]:
        return self.revealed.values if self.revealed else {}

    @property
    def hidden_keys(self) -> tuple[str, ...]:
        return self.hidden.keys if self.hidden else ()

    def all_keys(self) -> list[str]:
        """Every key of both files: those in clear first, in file order."""
        return list(dict.fromkeys([*self.revealed_values, *self.hidden_keys]))

    def explain(self) -> str:
        revealed, hidden = len(self.revealed_values), len(self.hidden_keys)
        only_hidden = len(set(self.hidden_keys) - set(self.revealed_values))
        in_clear, encrypted = counted(revealed, "key"), counted(hidden, "key")
        text = {
            LegacyState.NOTHING: "There are no legacy secrets files in this folder: there is "
            "nothing to migrate.",
            LegacyState.REVEALED_ONLY: f"{REVEALED_FILE} holds {in_clear} in clear and there "
            f"is no {HIDDEN_FILE}. They can be imported as they are.",
            LegacyState.HIDDEN_ONLY: f"Only {HIDDEN_FILE} is here, with {encrypted} whose values "
            "are encrypted; this app does not decrypt them. Supply each value (decrypt the file "
            "with the VTEX IO secrets plugin, or ask who holds them) before importing.",
            LegacyState.BOTH: f"Both files are here: {in_clear} in clear in "
            f"{REVEALED_FILE} and {counted(hidden, 'key name')} in {HIDDEN_FILE}; "
            f"supply a value for {counted(only_hidden, 'key')} that only the encrypted file names.",
        }[self.state]
        if self.state is not LegacyState.NOTHING and not self.readable:
            text += " Some entries cannot be read: fix the problems listed below first."
        if self.has_env_file:
            text += f" {ENV_FILE} is kept: local development goes on reading it."
        return text


def scan_folder(folder: Path) -> LegacyScan:
    revealed_path, hidden_path = folder / REVEALED_FILE, folder / HIDDEN_FILE
    return LegacyScan(
        folder,
        read_revealed(revealed_path) if revealed_path.exists() else None,
        read_hidden(hidden_path) if hidden_path.exists() else None,
        (folder / ENV_FILE).exists(),
        {name: _digest(folder / name) for name in (REVEALED_FILE, HIDDEN_FILE)},
    )


async def scan_folder_async(folder: Path) -> LegacyScan:
    return await asyncio.to_thread(scan_folder, folder)


@dataclass(frozen=True, slots=True)
class MigrationItem:
    key: str
    in_revealed: bool
    in_hidden: bool
    already_in_webops: bool


class MigrationPlan:
    """What importing would do, as the user adjusts it (types, values for hidden-only keys)."""

    def __init__(self, scan: LegacyScan, existing: Mapping[str, Entry]) -> None:
        self.scan = scan
        self.existing = dict(existing)
        self.items = [
            MigrationItem(
                key,
                key in scan.revealed_values,
                key in scan.hidden_keys,
                key in existing,
            )
            for key in scan.all_keys()
        ]
        self.types: dict[str, EntryType] = {item.key: EntryType.SECRET for item in self.items}
        self._supplied: dict[str, str] = {}
        #: One per plan: retrying the same apply after a lost answer applies it once.
        self.idempotency_key = str(uuid.uuid4())

    def __repr__(self) -> str:
        return f"MigrationPlan({len(self.items)} keys, {len(self.to_import())} to import)"

    def set_type(self, key: str, type: EntryType) -> None:
        self.types[key] = type

    def supply_value(self, key: str, value: str) -> None:
        """A value for a key known only from the encrypted file ("" withdraws it)."""
        if value:
            self._supplied[key] = value
        else:
            self._supplied.pop(key, None)

    def to_import(self) -> list[MigrationItem]:
        return [item for item in self.items if not item.already_in_webops]

    def needs_value(self) -> list[str]:
        """Keys only in secrets.hidden.json, not in WebOps, without a value supplied yet."""
        return [
            item.key
            for item in self.to_import()
            if not item.in_revealed and item.key not in self._supplied
        ]

    def value_of(self, key: str) -> str | None:
        return self.scan.revealed_values.get(key, self._supplied.get(key))

    def change_set(self) -> ChangeSet:
        changes = ChangeSet()
        for item in self.to_import():
            value = self.value_of(item.key)
            if value is not None:
                changes.add(create(item.key, self.types[item.key], value))
        return changes

    def review(self) -> list[DiffRow]:
        return review(self.change_set(), self.existing)

    def blockers(self) -> list[str]:
        """Why the import cannot run yet, in words for the user (empty when it can)."""
        reasons = []
        if not self.scan.readable:
            reasons.append("Fix the problems in the legacy files first.")
        if missing := self.needs_value():
            reasons.append(f"Supply a value for: {', '.join(missing)}.")
        if any(has_errors(row.findings) for row in self.review()):
            reasons.append("Some entries have errors (see the lints).")
        return reasons


async def apply_plan(webops: WebOps, store_id: str, plan: MigrationPlan) -> ApplyResult | None:
    """Import everything in one atomic apply; None when there is nothing left to import."""
    if blockers := plan.blockers():
        raise MigrationError(" ".join(blockers))
    changes = plan.change_set()
    if not changes:
        return None
    return await webops.apply(store_id, changes, idempotency_key=plan.idempotency_key)


@dataclass(frozen=True, slots=True)
class Verification:
    scan: LegacyScan
    missing: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.scan.readable and not self.missing


async def verify(webops: WebOps, store_id: str, scan: LegacyScan) -> Verification:
    """Every key of both files must be in WebOps now."""
    present = {entry.key for entry in await webops.list_entries(store_id)}
    return Verification(scan, tuple(key for key in scan.all_keys() if key not in present))


@dataclass(frozen=True, slots=True)
class Removal:
    trashed: tuple[TrashedItem, ...]
    #: Files whose removal from git is staged (the user commits it).
    untracked: tuple[str, ...]
    #: Why git was not used, if it was not (not installed, not a repository).
    git_note: str = ""


def remove_legacy_files(verification: Verification, trash: Trash) -> Removal:
    """Move the legacy files to the trash and stop tracking them in git; vtex.env stays.

    Refuses unless the verification succeeded and the files are as they were scanned. On any
    failure every file is back in place before the error is raised.
    """
    scan = verification.scan
    if not verification.ok:
        raise MigrationError(
            "The legacy files are kept: not every key was verified in WebOps "
            f"({', '.join(verification.missing) or 'the files have errors'})."
        )
    names = [name for name in (REVEALED_FILE, HIDDEN_FILE) if (scan.folder / name).exists()]
    for name in names:
        if _digest(scan.folder / name) != scan.digests.get(name):
            raise MigrationError(f"{name} changed since it was checked. Check again first.")
    trashed: list[TrashedItem] = []
    try:
        for name in names:
            trashed.append(trash.move(scan.folder / name))
        untracked, note = _untrack(scan.folder, names)
    except (TrashError, GitError) as error:
        stranded = _put_back(trash, trashed)
        if stranded:
            raise MigrationError(
                f"{error.message} {', '.join(stranded)} could not be put back: restore it from "
                "the trash."
            ) from error
        raise MigrationError(f"{error.message} Nothing was removed.") from error
    return Removal(tuple(trashed), tuple(untracked), note)


def _put_back(trash: Trash, trashed: Sequence[TrashedItem]) -> list[str]:
    """Restore what was trashed, newest first; the names of files that could not be restored."""
    stranded = []
    for item in reversed(trashed):
        try:
            trash.restore(item)
        except (TrashError, OSError):
            stranded.append(item.original.name)
    return stranded


def _untrack(folder: Path, names: Sequence[str]) -> tuple[list[str], str]:
    """Stage the removal of the tracked ones; without git (or a repository) say why instead."""
    try:
        repo = GitRepo.open(folder)
    except (GitNotInstalledError, NotARepositoryError) as error:
        return [], error.message
    tracked = [name for name in names if is_tracked(repo, name)]
    if tracked:
        untrack(repo, tracked)
    return tracked, ""


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


async def remove_legacy_files_async(verification: Verification, trash: Trash) -> Removal:
    return await asyncio.to_thread(remove_legacy_files, verification, trash)
