"""Change sets fold operations per key; applying the folded set equals applying every step."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faststore_desktop.core.changeset import (
    ChangeSet,
    ChangeSetError,
    Operation,
    OpKind,
    create,
    delete,
    update,
)
from faststore_desktop.core.entries import EntryType

TEXT, SECRET = EntryType.TEXT, EntryType.SECRET


# -- the folding rules, one by one ------------------------------------------------------------


def only(changes: ChangeSet) -> Operation:
    (op,) = changes.operations
    return op


def test_create_then_update_is_a_create_of_the_new_value() -> None:
    op = only(ChangeSet([create("A", TEXT, "one"), update("A", "two", expected_version=0)]))
    assert (op.kind, op.type, op.value, op.expected_version) == (OpKind.CREATE, TEXT, "two", None)


def test_create_then_update_with_a_type_creates_that_type() -> None:
    op = only(ChangeSet([create("A", TEXT, "one"), update("A", "two", 0, type=SECRET)]))
    assert (op.kind, op.type) == (OpKind.CREATE, SECRET)


def test_create_then_delete_is_nothing() -> None:
    changes = ChangeSet([create("A", TEXT, "one"), delete("A", expected_version=0)])
    assert not changes
    assert len(changes) == 0
    assert changes.keys() == []


def test_update_then_update_keeps_the_first_expected_version_and_the_last_value() -> None:
    op = only(ChangeSet([update("A", "one", 3), update("A", "two", 4)]))
    assert (op.kind, op.value, op.expected_version) == (OpKind.UPDATE, "two", 3)


def test_update_then_update_keeps_a_type_change_of_the_first() -> None:
    op = only(ChangeSet([update("A", "one", 3, type=SECRET), update("A", "two", 3)]))
    assert (op.type, op.value) == (SECRET, "two")


def test_update_then_delete_deletes_the_version_read() -> None:
    op = only(ChangeSet([update("A", "one", 3), delete("A", 4)]))
    assert (op.kind, op.value, op.expected_version) == (OpKind.DELETE, None, 3)


def test_delete_then_create_updates_the_deleted_version() -> None:
    op = only(ChangeSet([delete("A", 5), create("A", SECRET, "new")]))
    assert (op.kind, op.type, op.value, op.expected_version) == (OpKind.UPDATE, SECRET, "new", 5)


def test_delete_create_delete_is_the_first_delete() -> None:
    op = only(ChangeSet([delete("A", 5), create("A", TEXT, "new"), delete("A", 0)]))
    assert (op.kind, op.expected_version) == (OpKind.DELETE, 5)


def test_keys_keep_the_order_they_were_first_touched_in() -> None:
    changes = ChangeSet(
        [create("A", TEXT, "1"), update("B", "2", 1), create("C", TEXT, "3"), update("B", "4", 1)]
    )
    changes.add(update("A", "5", 0))
    assert changes.keys() == ["A", "B", "C"]
    assert [op.key for op in changes] == ["A", "B", "C"]


def test_a_key_folded_away_and_touched_again_goes_last() -> None:
    changes = ChangeSet([create("A", TEXT, "1"), create("B", TEXT, "2"), delete("A", 0)])
    changes.add(create("A", TEXT, "3"))
    assert changes.keys() == ["B", "A"]


def test_discard_drops_every_change_of_a_key() -> None:
    changes = ChangeSet([create("A", TEXT, "1"), update("B", "2", 1)])
    changes.discard("A")
    changes.discard("missing")
    assert changes.keys() == ["B"]


def test_repr_holds_no_value() -> None:
    changes = ChangeSet([create("API_TOKEN", SECRET, "s3cr3t-value")])
    assert "s3cr3t" not in repr(changes)
    assert "s3cr3t" not in repr(changes.operations)
    assert "API_TOKEN" in repr(changes.operations)


# -- folding equals applying step by step -----------------------------------------------------

KEYS = ("A", "B", "C")


@dataclass(frozen=True)
class Stored:
    type: EntryType
    value: str
    version: int


class ApplyError(Exception):
    pass


def apply_all_or_nothing(store: dict[str, Stored], changes: ChangeSet) -> dict[str, Stored]:
    """What a backend does with a change set: every operation checked against the store read."""
    result = dict(store)
    for op in changes:
        current = result.get(op.key)
        if op.kind is OpKind.CREATE:
            if current is not None:
                raise ApplyError(f"{op.key} exists")
            assert op.type is not None and op.value is not None
            result[op.key] = Stored(op.type, op.value, 1)
            continue
        if current is None or current.version != op.expected_version:
            raise ApplyError(f"{op.key}: conflict")
        if op.kind is OpKind.DELETE:
            del result[op.key]
        else:
            assert op.value is not None
            result[op.key] = Stored(op.type or current.type, op.value, current.version + 1)
    return result


@st.composite
def store_and_steps(draw: st.DrawFn) -> tuple[dict[str, Stored], list[Operation]]:
    """A store, and operations a user could stage one after another against what they read."""
    types = st.sampled_from([TEXT, SECRET])
    store = {
        key: Stored(draw(types), draw(st.text(max_size=3)), draw(st.integers(1, 9)))
        for key in draw(st.sets(st.sampled_from(KEYS)))
    }
    present = set(store)
    steps = []
    for _ in range(draw(st.integers(0, 12))):
        key = draw(st.sampled_from(KEYS))
        # What the user read: the stored version, for keys that existed when the batch began.
        read_version = store[key].version if key in store else 0
        value = draw(st.text(max_size=3))
        if key not in present:
            steps.append(create(key, draw(types), value))
            present.add(key)
        elif draw(st.booleans()):
            steps.append(update(key, value, read_version, type=draw(st.none() | types)))
        else:
            steps.append(delete(key, read_version))
            present.discard(key)
    return store, steps


def one_by_one(store: dict[str, Stored], steps: list[Operation]) -> dict[str, tuple[str, str]]:
    state = {key: (stored.type.value, stored.value) for key, stored in store.items()}
    for op in steps:
        if op.kind is OpKind.DELETE:
            del state[op.key]
        else:
            assert op.value is not None
            kind = op.type or EntryType(state[op.key][0])
            state[op.key] = (kind.value, op.value)
    return state


@settings(max_examples=300, deadline=None)
@given(store_and_steps())
def test_folding_gives_the_state_of_applying_each_step(
    case: tuple[dict[str, Stored], list[Operation]],
) -> None:
    store, steps = case
    changes = ChangeSet(steps)
    after = apply_all_or_nothing(store, changes)
    assert {k: (s.type.value, s.value) for k, s in after.items()} == one_by_one(store, steps)


@settings(max_examples=200, deadline=None)
@given(store_and_steps())
def test_folding_keeps_one_operation_per_key_in_first_touched_order(
    case: tuple[dict[str, Stored], list[Operation]],
) -> None:
    _, steps = case
    changes = ChangeSet()
    order: list[str] = []
    for op in steps:
        changes.add(op)
        if op.key not in {staged.key for staged in changes}:
            order.remove(op.key)
        elif op.key not in order:
            order.append(op.key)
    assert changes.keys() == order
    assert len({op.key for op in changes}) == len(changes)
    # No create survives for a key the store had; no update or delete for a key it lacked.
    for op in changes:
        assert (op.kind is OpKind.CREATE) == (op.key not in case[0])


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (create("A", TEXT, "1"), create("A", TEXT, "2")),
        (update("A", "1", 1), create("A", TEXT, "2")),
        (delete("A", 1), update("A", "2", 1)),
        (delete("A", 1), delete("A", 1)),
    ],
)
def test_an_impossible_sequence_is_refused_and_keeps_the_staged_operation(
    first: Operation, second: Operation
) -> None:
    changes = ChangeSet([first])
    with pytest.raises(ChangeSetError, match=r"^A ") as raised:
        changes.add(second)
    assert raised.value.key == "A"
    assert only(changes) == first
    assert "2" not in raised.value.message  # names the key, never the value


def test_an_impossible_sequence_is_refused_when_building_a_change_set() -> None:
    with pytest.raises(ChangeSetError):
        ChangeSet([delete("A", 1), update("A", "new", 1)])
