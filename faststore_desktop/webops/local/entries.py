"""Entries of the embedded store: versions, apply, history, rollback and status.

Every function runs on the database thread, inside the transaction the caller opened for a
write. A key's row in `entries` points at its latest version; `entry_versions` keeps every
version, each value sealed on its own (a deletion is a version without a value), so history and
rollback never lose anything.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from faststore_desktop.core.changeset import ChangeSet, Operation, OpKind
from faststore_desktop.core.entries import Entry, EntryType
from faststore_desktop.core.validation import Finding, Severity, keys_after, lint_entry
from faststore_desktop.webops.errors import ConflictError, NotFoundError, ValidationError
from faststore_desktop.webops.local import idempotency
from faststore_desktop.webops.local.crypto import ValueCipher
from faststore_desktop.webops.local.deployment_rows import last_success
from faststore_desktop.webops.local.journal import AuditRow, append_audit, append_event
from faststore_desktop.webops.local.stores import get_store
from faststore_desktop.webops.local.timestamps import from_db, now, to_db
from faststore_desktop.webops.models import ApplyResult, EntryStatus, EntryVersion

#: Each key (`e`) with its versions (`v`); add `_LATEST` to keep only its current version.
_KEYS_AND_VERSIONS = "entries e JOIN entry_versions v ON v.store_id = e.store_id AND v.key = e.key "
_LATEST = "AND v.version = e.version "
#: The columns `_entry` reads.
_ENTRY_ROWS = (
    "SELECT e.key, v.type, v.version, e.created_at, v.created_at, v.author, v.sealed "  # noqa: S608
    f"FROM {_KEYS_AND_VERSIONS}"
)


_TYPES = {entry_type.value: entry_type for entry_type in EntryType}
#: A key refused for its shape is not repeated in the message: it may be a value pasted into the
#: key field, and the message reaches logs and error reports.
_KEY_NOT_REPEATED = frozenset({"key-empty", "key-invalid", "key-too-long"})


@dataclass(frozen=True, slots=True)
class _Current:
    version: int
    type: EntryType
    deleted: bool
    created_at: str


@dataclass(frozen=True, slots=True)
class _Write:
    """A new version about to be stored; `value` None for a deletion."""

    key: str
    version: int
    type: EntryType
    action: str
    value: str | None = field(repr=False)
    entry_created_at: str


class EntryRepository:
    """Entries of every store as one actor reads and writes them; stateless but for a cache of
    the last listing (see `_listed`)."""

    def __init__(
        self, cipher: ValueCipher, actor: str, listed: dict[str, dict[str, Entry]] | None = None
    ) -> None:
        self._cipher = cipher
        self._actor = actor
        #: The last listing of each store, by key. A key's version never changes once written,
        #: so a row whose version is the one listed before is not decrypted and built again
        #: (the UI lists every entry after each change: most rows are the same).
        self._listed: dict[str, dict[str, Entry]] = {} if listed is None else listed

    def with_actor(self, actor: str) -> EntryRepository:
        """The same repository writing as `actor`; it shares the listings (entries name their
        own authors, so they do not depend on who reads them)."""
        return EntryRepository(self._cipher, actor, self._listed)

    # -- reads ----------------------------------------------------------------------------------

    def list_entries(self, conn: sqlite3.Connection, store_id: str) -> list[Entry]:
        get_store(conn, store_id)
        rows = conn.execute(
            f"{_ENTRY_ROWS}{_LATEST}WHERE e.store_id = ? AND e.deleted = 0 ORDER BY e.key",
            (store_id,),
        )
        listed = self._listed.get(store_id, {})
        entries = [self._listed_or_new(listed, store_id, row) for row in rows]
        self._listed[store_id] = {entry.key: entry for entry in entries}
        return entries

    def _listed_or_new(self, listed: dict[str, Entry], store_id: str, row: Sequence[Any]) -> Entry:
        entry = listed.get(row[0])
        return (
            entry if entry is not None and entry.version == row[2] else self._entry(store_id, row)
        )

    def get(self, conn: sqlite3.Connection, store_id: str, key: str) -> Entry:
        get_store(conn, store_id)
        row = conn.execute(
            f"{_ENTRY_ROWS}{_LATEST}WHERE e.store_id = ? AND e.key = ? AND e.deleted = 0",
            (store_id, key),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"{key} does not exist in this store.")
        return self._entry(store_id, row)

    def history(self, conn: sqlite3.Connection, store_id: str, key: str) -> list[EntryVersion]:
        get_store(conn, store_id)
        rows = conn.execute(
            "SELECT version, type, action, author, created_at, sealed, fingerprint "
            "FROM entry_versions WHERE store_id = ? AND key = ? ORDER BY version DESC",
            (store_id, key),
        ).fetchall()
        if not rows:
            raise NotFoundError(f"{key} has no history in this store.")
        return [
            EntryVersion(
                key=key,
                version=version,
                type=EntryType(type_),
                action=action,
                author=author,
                created_at=from_db(created_at),
                value=self._text_value(store_id, key, version, EntryType(type_), sealed),
                fingerprint=fingerprint,
            )
            for version, type_, action, author, created_at, sealed, fingerprint in rows
        ]

    def status(self, conn: sqlite3.Connection, store_id: str) -> EntryStatus:
        get_store(conn, store_id)
        current = dict(
            conn.execute(
                "SELECT key, version FROM entries WHERE store_id = ? AND deleted = 0", (store_id,)
            ).fetchall()
        )
        last_id, deployed = last_success(conn, store_id)
        live = frozenset(key for key, version in current.items() if deployed.get(key) == version)
        deletions = frozenset(deployed.keys() - current.keys())
        return EntryStatus(
            live=live,
            pending=frozenset(current.keys() - live) | deletions,
            pending_deletions=deletions,
            last_success_id=last_id,
        )

    # -- writes ---------------------------------------------------------------------------------

    def apply(
        self,
        conn: sqlite3.Connection,
        store_id: str,
        changes: ChangeSet,
        idempotency_key: str | None,
    ) -> ApplyResult:
        get_store(conn, store_id)
        request = self._request_digest("apply", [_op_material(op) for op in changes])
        replay = self._replay(conn, store_id, idempotency_key, request)
        if replay is not None:
            return replay
        current = self._current(conn, store_id)
        at = to_db(now())
        writes = [self._plan(op, current, at) for op in changes]
        self._validate(changes, writes, current)
        self._store(conn, store_id, writes, at)
        result = ApplyResult(
            entries=tuple(self._written_entry(w, at) for w in writes if w.value is not None),
            deleted=tuple(w.key for w in writes if w.value is None),
        )
        self._remember(conn, store_id, idempotency_key, request, result)
        return result

    def rollback(
        self,
        conn: sqlite3.Connection,
        store_id: str,
        key: str,
        version: int,
        *,
        expected_version: int | None,
        idempotency_key: str | None,
    ) -> Entry:
        get_store(conn, store_id)
        request = self._request_digest("rollback", [[key, version, expected_version]])
        replay = self._replay(conn, store_id, idempotency_key, request)
        if replay is not None:
            return replay.entries[0]
        target = conn.execute(
            "SELECT type, sealed FROM entry_versions "
            "WHERE store_id = ? AND key = ? AND version = ?",
            (store_id, key, version),
        ).fetchone()
        if target is None:
            raise NotFoundError(f"{key} has no version {version}.")
        type_, sealed = EntryType(target[0]), target[1]
        if sealed is None:
            raise ValidationError(
                f"Version {version} of {key} is its deletion; pick a version that has a value."
            )
        latest = self._current(conn, store_id)[key]
        if expected_version is not None and latest.version != expected_version:
            raise _moved_on(key, latest)
        at = to_db(now())
        write = _Write(
            key=key,
            version=latest.version + 1,
            type=type_,
            action="rollback",
            value=self._cipher.open(store_id, key, version, sealed),
            entry_created_at=at if latest.deleted else latest.created_at,
        )
        self._store(conn, store_id, [write], at, detail=f"to version {version}")
        entry = self._written_entry(write, at)
        self._remember(conn, store_id, idempotency_key, request, ApplyResult((entry,), ()))
        return entry

    # -- planning -------------------------------------------------------------------------------

    def _plan(self, op: Operation, current: dict[str, _Current], at: str) -> _Write:
        row = current.get(op.key)
        if op.kind is OpKind.CREATE:
            if row is not None and not row.deleted:
                raise ConflictError(
                    f"{op.key} already exists.", key=op.key, current_version=row.version
                )
            if op.type is None or op.value is None:
                raise ValidationError(f"Creating {op.key} needs a type and a value.")
            version = 1 if row is None else row.version + 1
            return _Write(op.key, version, op.type, "create", op.value, at)
        if row is None:
            raise NotFoundError(f"{op.key} does not exist in this store.")
        if row.deleted or row.version != op.expected_version:
            raise _moved_on(op.key, row)
        if op.kind is OpKind.DELETE:
            return _Write(op.key, row.version + 1, row.type, "delete", None, row.created_at)
        if op.value is None:
            raise ValidationError(f"Updating {op.key} needs a value.")
        type_ = op.type or row.type
        return _Write(op.key, row.version + 1, type_, "update", op.value, row.created_at)

    def _validate(
        self, changes: ChangeSet, writes: Sequence[_Write], current: dict[str, _Current]
    ) -> None:
        after = keys_after(changes, (key for key, row in current.items() if not row.deleted))
        # Only keys equal but for case can clash with a key; handing lint_entry just those keeps
        # a large change set against a large store linear instead of quadratic.
        by_case: dict[str, list[str]] = {}
        for key in after:
            by_case.setdefault(key.upper(), []).append(key)
        errors: list[Finding] = []
        for write in writes:
            if write.value is None:
                continue
            findings = lint_entry(
                write.key, write.type, write.value, existing_keys=by_case[write.key.upper()]
            )
            errors += [f for f in findings if f.severity is Severity.ERROR]
        if errors:
            first = errors[0]
            named = "" if first.code in _KEY_NOT_REPEATED else f"{first.key}: "
            more = f" ({len(errors) - 1} more problems)" if len(errors) > 1 else ""
            raise ValidationError(f"{named}{first.message}{more}", errors)

    # -- storage --------------------------------------------------------------------------------

    def _current(self, conn: sqlite3.Connection, store_id: str) -> dict[str, _Current]:
        rows = conn.execute(
            "SELECT e.key, e.version, v.type, e.deleted, e.created_at "  # noqa: S608
            f"FROM {_KEYS_AND_VERSIONS}{_LATEST}WHERE e.store_id = ?",
            (store_id,),
        )
        return {
            key: _Current(version, EntryType(type_), bool(deleted), created_at)
            for key, version, type_, deleted, created_at in rows
        }

    def _store(
        self,
        conn: sqlite3.Connection,
        store_id: str,
        writes: Sequence[_Write],
        at: str,
        detail: str = "",
    ) -> None:
        if not writes:
            return
        conn.executemany(
            "INSERT INTO entries (store_id, key, version, deleted, created_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (store_id, key) DO UPDATE SET "
            "version = excluded.version, deleted = excluded.deleted, "
            "created_at = excluded.created_at",
            [(store_id, w.key, w.version, w.value is None, w.entry_created_at) for w in writes],
        )
        conn.executemany(
            "INSERT INTO entry_versions "
            "(store_id, key, version, type, action, author, created_at, sealed, fingerprint) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    store_id,
                    w.key,
                    w.version,
                    w.type.value,
                    w.action,
                    self._actor,
                    at,
                    None
                    if w.value is None
                    else self._cipher.seal(store_id, w.key, w.version, w.value),
                    "" if w.value is None else self._cipher.fingerprint(w.value),
                )
                for w in writes
            ],
        )
        audit: list[AuditRow] = [
            (f"entry.{w.action}", w.key, _audit_detail(w, detail)) for w in writes
        ]
        append_audit(conn, store_id, self._actor, audit)
        append_event(conn, store_id, "entries")

    # -- idempotency ----------------------------------------------------------------------------

    def _request_digest(self, kind: str, material: Iterable[object]) -> str:
        return idempotency.digest(self._cipher, kind, self._actor, list(material))

    def _replay(
        self,
        conn: sqlite3.Connection,
        store_id: str,
        idempotency_key: str | None,
        request: str,
    ) -> ApplyResult | None:
        stored = idempotency.recall(conn, store_id, idempotency_key, request)
        if stored is None:
            return None
        entries = tuple(self._entry_at(conn, store_id, key, v) for key, v in stored["entries"])
        return ApplyResult(entries=entries, deleted=tuple(stored["deleted"]), replayed=True)

    def _remember(
        self,
        conn: sqlite3.Connection,
        store_id: str,
        idempotency_key: str | None,
        request: str,
        result: ApplyResult,
    ) -> None:
        stored = {
            "entries": [[e.key, e.version] for e in result.entries],
            "deleted": list(result.deleted),
        }
        idempotency.remember(conn, store_id, idempotency_key, request, stored)

    # -- rows to entries ------------------------------------------------------------------------

    def _entry_at(self, conn: sqlite3.Connection, store_id: str, key: str, version: int) -> Entry:
        row = conn.execute(
            f"{_ENTRY_ROWS}WHERE e.store_id = ? AND e.key = ? AND v.version = ?",
            (store_id, key, version),
        ).fetchone()
        return self._entry(store_id, row)

    def _entry(self, store_id: str, row: Sequence[Any]) -> Entry:
        """An Entry from the columns of _ENTRY_ROWS (once per row of a listing: kept lean,
        a dict lookup for the type and positional fields save a quarter of its time)."""
        key, type_, version, created_at, updated_at, author, sealed = row
        entry_type = _TYPES[type_]
        value = self._text_value(store_id, key, version, entry_type, sealed)
        return Entry(
            key, entry_type, value, version, from_db(created_at), from_db(updated_at), author
        )

    def _text_value(
        self, store_id: str, key: str, version: int, type_: EntryType, sealed: bytes | None
    ) -> str | None:
        """The value when it may be shown: a text entry's, never a secret's."""
        if type_ is EntryType.SECRET or sealed is None:
            return None
        return self._cipher.open(store_id, key, version, sealed)

    def _written_entry(self, write: _Write, at: str) -> Entry:
        return Entry(
            key=write.key,
            type=write.type,
            value=None if write.type is EntryType.SECRET else write.value,
            version=write.version,
            created_at=from_db(write.entry_created_at),
            updated_at=from_db(at),
            author=self._actor,
        )


def _moved_on(key: str, row: _Current) -> ConflictError:
    if row.deleted:
        message = f"{key} was deleted by someone else since you read it."
    else:
        message = (
            f"{key} was changed by someone else since you read it (now version {row.version})."
        )
    return ConflictError(message, key=key, current_version=row.version)


def _op_material(op: Operation) -> list[object]:
    return [op.kind.value, op.key, op.type, op.value, op.expected_version]


def _audit_detail(write: _Write, extra: str) -> str:
    detail = f"version {write.version}, {write.type.value}"
    return f"{detail}, {extra}" if extra else detail
