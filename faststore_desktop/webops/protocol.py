"""The WebOps protocol: what the UI and the API server rely on.

Two implementations pass one contract suite (tests/contract): `LocalWebOps`, the embedded
default, and `HttpWebOps`, a client of the WebOps API server. Every method may raise the typed
errors of `faststore_desktop.webops.errors`. Who acts (the author written into history and the
audit trail) is a property of the implementation instance: the OS user for the embedded store,
the token's owner for the server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Protocol, runtime_checkable

from faststore_desktop.core.changeset import ChangeSet
from faststore_desktop.core.entries import Entry, EntryType
from faststore_desktop.webops.models import (
    ApplyResult,
    AuditRecord,
    Deployment,
    DeploymentPage,
    DeploymentQuery,
    EntryStatus,
    EntryVersion,
    LogLine,
    Store,
    StoreConfig,
    StoreEvent,
)


@runtime_checkable
class WebOps(Protocol):
    # -- stores -------------------------------------------------------------------------------
    async def list_stores(self) -> Sequence[Store]: ...

    async def get_store(self, store_id: str) -> Store: ...

    async def create_store(
        self, config: StoreConfig, *, idempotency_key: str | None = None
    ) -> Store:
        """Repeating an idempotency key returns the store the first request created."""
        ...

    async def configure_store(
        self, store_id: str, config: StoreConfig, *, idempotency_key: str | None = None
    ) -> Store:
        """Repeating an idempotency key returns the first answer without writing again."""
        ...

    # -- entries ------------------------------------------------------------------------------
    async def list_entries(self, store_id: str) -> Sequence[Entry]:
        """Every entry, ordered by key. Secret values are None."""
        ...

    async def get_entry(self, store_id: str, key: str) -> Entry: ...

    async def create_entry(
        self,
        store_id: str,
        key: str,
        type: EntryType,
        value: str,
        *,
        idempotency_key: str | None = None,
    ) -> Entry: ...

    async def update_entry(
        self,
        store_id: str,
        key: str,
        value: str,
        *,
        expected_version: int,
        type: EntryType | None = None,
        idempotency_key: str | None = None,
    ) -> Entry:
        """Raises ConflictError when the stored version is not `expected_version`."""
        ...

    async def delete_entry(
        self,
        store_id: str,
        key: str,
        *,
        expected_version: int,
        idempotency_key: str | None = None,
    ) -> None: ...

    async def apply(
        self, store_id: str, changes: ChangeSet, *, idempotency_key: str
    ) -> ApplyResult:
        """All operations or none. Repeating an idempotency key returns the first result."""
        ...

    async def status(self, store_id: str) -> EntryStatus: ...

    async def entry_history(self, store_id: str, key: str) -> Sequence[EntryVersion]:
        """Every version of a key, newest first (deleted keys included)."""
        ...

    async def rollback_entry(
        self,
        store_id: str,
        key: str,
        version: int,
        *,
        expected_version: int | None,
        idempotency_key: str | None = None,
    ) -> Entry:
        """Create a new version equal to `version` (restoring a deleted key too)."""
        ...

    async def audit_trail(
        self, store_id: str, *, offset: int = 0, limit: int = 200
    ) -> Sequence[AuditRecord]:
        """Newest first. Never holds a value."""
        ...

    # -- deployments --------------------------------------------------------------------------
    async def list_deployments(self, store_id: str, query: DeploymentQuery) -> DeploymentPage: ...

    async def get_deployment(self, store_id: str, deployment_id: str) -> Deployment: ...

    async def create_deployment(
        self, store_id: str, reason: str, *, idempotency_key: str | None = None
    ) -> Deployment:
        """Redeploy with the current entries. Joins a deployment that is still queued."""
        ...

    async def rerun_deployment(
        self, store_id: str, deployment_id: str, *, idempotency_key: str | None = None
    ) -> Deployment:
        """Repeating an idempotency key returns the deployment the first request created."""
        ...

    async def cancel_deployment(
        self, store_id: str, deployment_id: str, *, idempotency_key: str | None = None
    ) -> Deployment: ...

    def follow_log(
        self, store_id: str, deployment_id: str, step: str, *, offset: int = 0
    ) -> AsyncIterator[LogLine]:
        """Lines of a step from `offset` on, live until the step finishes, then ends."""
        ...

    def watch(self, store_id: str, *, after: int = 0) -> AsyncIterator[StoreEvent]:
        """Store events with seq > `after`, live, until the consumer stops iterating."""
        ...

    async def close(self) -> None: ...
