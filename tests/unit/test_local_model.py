"""Random change sets against LocalWebOps and a dictionary model: the same outcome every time."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from faststore_desktop.core.changeset import ChangeSet, ChangeSetError, Operation, OpKind
from faststore_desktop.core.entries import EntryType
from faststore_desktop.webops.errors import ConflictError, NotFoundError
from faststore_desktop.webops.local.service import LocalWebOps
from faststore_desktop.webops.models import StoreConfig

KEYS = ("ALPHA", "BETA", "GAMMA")

# (kind, key, value, version offset: 0 = the version the model holds, else a stale one)
operation = st.tuples(
    st.sampled_from(list(OpKind)),
    st.sampled_from(KEYS),
    st.text(alphabet="abcxyz", min_size=1, max_size=4),
    st.sampled_from([0, 0, 0, -1]),
)
batches = st.lists(st.lists(operation, min_size=1, max_size=3), min_size=1, max_size=8)

Model = dict[str, tuple[int, str, bool]]  # key -> (latest version, value, deleted)


def _expected(model: Model, ops: list[Operation]) -> type[Exception] | None:
    for op in ops:
        known = model.get(op.key)
        if op.kind is OpKind.CREATE:
            if known is not None and not known[2]:
                return ConflictError
        elif known is None:
            return NotFoundError
        elif known[2] or known[0] != op.expected_version:
            return ConflictError
    return None


def _applied(model: Model, ops: list[Operation]) -> Model:
    after = dict(model)
    for op in ops:
        version = after[op.key][0] + 1 if op.key in after else 1
        after[op.key] = (version, op.value or "", op.kind is OpKind.DELETE)
    return after


def _operations(model: Model, batch: list[tuple[OpKind, str, str, int]]) -> list[Operation]:
    change = ChangeSet()
    for kind, key, value, offset in batch:
        version = model.get(key, (0, "", True))[0] + offset
        if kind is OpKind.CREATE:
            op = Operation(kind, key, EntryType.TEXT, value)
        elif kind is OpKind.UPDATE:
            op = Operation(kind, key, None, value, version)
        else:
            op = Operation(kind, key, expected_version=version)
        with contextlib.suppress(ChangeSetError):  # refused (e.g. a second create): not staged
            change.add(op)
    return list(change)


async def _run(data_dir: Path, batches_: list[list[tuple[OpKind, str, str, int]]]) -> None:
    webops = await LocalWebOps.open(data_dir, secrets.token_bytes(32), actor="model")
    try:
        store = await webops.create_store(StoreConfig(name="Model"))
        model: Model = {}
        for number, batch in enumerate(batches_):
            ops = _operations(model, batch)
            failure = _expected(model, ops)
            try:
                await webops.apply(store.id, ChangeSet(ops), idempotency_key=f"b{number}")
            except (ConflictError, NotFoundError) as error:
                assert type(error) is failure, (ops, error.message)
            else:
                assert failure is None, ops
                model = _applied(model, ops)
            live = {e.key: (e.version, e.value) for e in await webops.list_entries(store.id)}
            assert live == {k: (v, value) for k, (v, value, gone) in model.items() if not gone}
    finally:
        await webops.close()


@settings(max_examples=30, deadline=None)
@given(batches)
def test_apply_matches_the_model(batches_: list[list[tuple[OpKind, str, str, int]]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_run(Path(folder), batches_))
