"""Backends that fail on purpose, wrapping a real one, for the tests of what a failure leaves."""

from __future__ import annotations

from collections.abc import Sequence

from faststore_desktop.core.changeset import ChangeSet
from faststore_desktop.core.entries import Entry
from faststore_desktop.webops.errors import PermissionDeniedError, UnavailableError, WebOpsError
from faststore_desktop.webops.local.service import LocalWebOps
from faststore_desktop.webops.models import ApplyResult, Store, StoreConfig


class FailingApply:
    """The embedded WebOps whose apply fails as a lost connection would; the rest is real."""

    def __init__(self, webops: LocalWebOps) -> None:
        self.webops = webops

    async def apply(
        self, store_id: str, changes: ChangeSet, *, idempotency_key: str
    ) -> ApplyResult:
        raise UnavailableError("The service could not be reached.")

    def __getattr__(self, name: str) -> object:
        return getattr(self.webops, name)


class FailingListEntries:
    """The embedded WebOps whose list_entries fails with `error` once one is set; the rest is
    real."""

    def __init__(self, webops: LocalWebOps) -> None:
        self.webops = webops
        self.error: WebOpsError | None = None

    async def list_entries(self, store_id: str) -> Sequence[Entry]:
        if self.error is not None:
            raise self.error
        return await self.webops.list_entries(store_id)

    def __getattr__(self, name: str) -> object:
        return getattr(self.webops, name)


class ServerLike:
    """The embedded WebOps standing in for a WebOps API server reached with a token that may
    not change store settings: configure_store is refused (and counted); the rest is real."""

    def __init__(self, webops: LocalWebOps) -> None:
        self.webops = webops
        self.configure_calls = 0

    async def configure_store(
        self, store_id: str, config: StoreConfig, *, idempotency_key: str | None = None
    ) -> Store:
        self.configure_calls += 1
        raise PermissionDeniedError(
            "The token 'ana' has the editor role; to configure a store it needs admin."
        )

    def __getattr__(self, name: str) -> object:
        return getattr(self.webops, name)


class LosesFirstAnswer:
    """The embedded WebOps whose `method` does its work the first time, but the answer is lost
    on the way back (as a dropped connection loses it); `keys` holds the idempotency key of each
    call, to prove a retry sent the same one."""

    def __init__(self, webops: LocalWebOps, method: str) -> None:
        self.webops = webops
        self.method = method
        self.keys: list[str | None] = []

    def __getattr__(self, name: str) -> object:
        real = getattr(self.webops, name)
        if name != self.method:
            return real

        async def losing(*args: object, idempotency_key: str | None = None) -> object:
            self.keys.append(idempotency_key)
            answer = await real(*args, idempotency_key=idempotency_key)
            if len(self.keys) == 1:
                raise UnavailableError("The connection dropped before the answer arrived.")
            return answer

        return losing
