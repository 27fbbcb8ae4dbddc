"""Change sets: an ordered batch of create/update/delete operations applied all at once.

WebOps builds with whatever is saved when a deployment starts, so several entries must go in
together before a redeploy; a change set is that batch.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from faststore_desktop.core.entries import EntryType


class OpKind(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class Operation:
    """One change to one key.

    `expected_version` is the version the author read (None for a create): applying fails with a
    conflict when the stored entry has moved on since. `value` and `type` are None for a delete;
    `type` None on an update keeps the stored type.
    """

    kind: OpKind
    key: str
    type: EntryType | None = None
    value: str | None = None
    expected_version: int | None = None

    def __repr__(self) -> str:  # the value stays out of logs and tracebacks
        return (
            f"Operation({self.kind.value} {self.key!r}, type={self.type}, "
            f"expected_version={self.expected_version})"
        )


def create(key: str, type: EntryType, value: str) -> Operation:
    return Operation(OpKind.CREATE, key, type, value)


def update(key: str, value: str, expected_version: int, type: EntryType | None = None) -> Operation:
    return Operation(OpKind.UPDATE, key, type, value, expected_version)


def delete(key: str, expected_version: int) -> Operation:
    return Operation(OpKind.DELETE, key, expected_version=expected_version)


class ChangeSetError(ValueError):
    """An operation that cannot follow the one already staged for its key (e.g. a second create).

    `message` is user-facing and names the key only.
    """

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


class ChangeSet:
    """Operations keyed by entry key, in first-touched order; later operations fold into earlier.

    Folding rules (first, then second):
    create + update -> create with the new value; create + delete -> nothing;
    update + update -> update with the new value, keeping the first expected version (and the
    first's type change unless the second changes the type again);
    update + delete -> delete with the first expected version;
    delete + create -> update of the deleted version (the key stays, with a new value).

    Every other pair (create + create, update + create, delete + update, delete + delete) acts on
    a key that, after the first operation, is not in the state the second assumes: `add` raises
    ChangeSetError and keeps the staged operation, rather than silently dropping either one.
    """

    def __init__(self, operations: Iterable[Operation] = ()) -> None:
        self._ops: dict[str, Operation] = {}
        for op in operations:
            self.add(op)

    def add(self, op: Operation) -> None:
        """Stage `op`, folded into the operation already staged for its key.

        Raises ChangeSetError (the change set unchanged) when `op` cannot follow that operation.
        """
        previous = self._ops.get(op.key)
        folded = op if previous is None else _fold(previous, op)
        if folded is None:
            del self._ops[op.key]
        else:  # assigning an existing key keeps its place: first-touched order
            self._ops[op.key] = folded

    def discard(self, key: str) -> None:
        self._ops.pop(key, None)

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(self._ops.values())

    def keys(self) -> list[str]:
        return list(self._ops)

    def __len__(self) -> int:
        return len(self._ops)

    def __iter__(self) -> Iterator[Operation]:
        return iter(self._ops.values())

    def __bool__(self) -> bool:
        return bool(self._ops)

    def __repr__(self) -> str:
        return f"ChangeSet({len(self)} operations)"


def _fold(first: Operation, second: Operation) -> Operation | None:
    match first.kind, second.kind:
        case OpKind.CREATE, OpKind.DELETE:
            return None
        case OpKind.CREATE, OpKind.UPDATE:
            return replace(first, value=second.value, type=second.type or first.type)
        case OpKind.UPDATE, OpKind.UPDATE:
            return replace(
                second, expected_version=first.expected_version, type=second.type or first.type
            )
        case OpKind.UPDATE, OpKind.DELETE:
            return replace(second, expected_version=first.expected_version)
        case OpKind.DELETE, OpKind.CREATE:
            return Operation(
                OpKind.UPDATE, first.key, second.type, second.value, first.expected_version
            )
    raise ChangeSetError(first.key, _CANNOT_FOLLOW[first.kind].format(key=first.key))


#: Why an operation cannot follow the staged one, by the staged one's kind.
_CANNOT_FOLLOW = {
    OpKind.CREATE: "{key} is already staged to be created; edit the staged value instead.",
    OpKind.UPDATE: "{key} exists (an update is staged for it), so it cannot be created.",
    OpKind.DELETE: "{key} is staged to be deleted; create it again or discard the deletion.",
}
