"""Saving entries and redeploying, as the dashboard does it: its messages, quiet retries.

Every mutation carries an idempotency key made once per user action, so a retry after a
transient failure never applies twice. A failure that persists becomes `ActionFailed` with the
dashboard's message and the reason apart, for a details box; a conflict is left to the caller.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication

from faststore_desktop.core.entries import Entry, EntryType
from faststore_desktop.core.validation import Finding
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.retry import reason_of, retry_transient
from faststore_desktop.webops.errors import ConflictError, ValidationError, WebOpsError

if TYPE_CHECKING:
    from faststore_desktop.core.changeset import ChangeSet
    from faststore_desktop.webops.models import ApplyResult, Deployment

T = TypeVar("T")


def _tr(text: str, count: int = -1) -> str:
    return QCoreApplication.translate("EntryActions", text, None, count)


class ActionFailed(Exception):
    """A failure that persisted after retries; `message` is the dashboard's, `details` the why."""

    def __init__(self, message: str, details: str, findings: Sequence[Finding] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        self.findings = tuple(findings)


def _failed(message: str, error: WebOpsError) -> ActionFailed:
    findings = error.findings if isinstance(error, ValidationError) else ()
    details = reason_of(error)
    return ActionFailed(message, details, [f for f in findings if isinstance(f, Finding)])


class EntryActions:
    def __init__(self, context: StoreContext) -> None:
        self._context = context

    async def create(self, key: str, type: EntryType, value: str) -> Entry:
        webops, store = self._context.require()
        return await self._run(
            lambda idempotency: webops.create_entry(
                store.id, key, type, value, idempotency_key=idempotency
            ),
            failure=_tr("Failed to create secret. Please, try again."),
            success=_tr("New secret added successfully"),
        )

    async def update(
        self, key: str, value: str, *, expected_version: int, type: EntryType | None
    ) -> Entry:
        webops, store = self._context.require()
        return await self._run(
            lambda idempotency: webops.update_entry(
                store.id,
                key,
                value,
                expected_version=expected_version,
                type=type,
                idempotency_key=idempotency,
            ),
            failure=_tr("Failed to update secret. Please, try again."),
            success=_tr("Secret updated successfully"),
        )

    async def delete(self, key: str, *, expected_version: int) -> None:
        webops, store = self._context.require()
        await self._run(
            lambda idempotency: webops.delete_entry(
                store.id, key, expected_version=expected_version, idempotency_key=idempotency
            ),
            failure=_tr("Failed to delete secret. Please, try again."),
            success=_tr("Secret deleted successfully"),
        )

    async def restore(self, key: str, version: int, *, expected_version: int | None) -> Entry:
        webops, store = self._context.require()
        return await self._run(
            lambda idempotency: webops.rollback_entry(
                store.id,
                key,
                version,
                expected_version=expected_version,
                idempotency_key=idempotency,
            ),
            failure=_tr("Failed to update secret. Please, try again."),
            success=_tr("Secret updated successfully"),
        )

    async def apply(self, changes: ChangeSet) -> ApplyResult:
        webops, store = self._context.require()
        return await self._run(
            lambda idempotency: webops.apply(store.id, changes, idempotency_key=idempotency),
            failure=_tr("Failed to apply the changes. Please, try again."),
            success=_tr("%n change(s) applied successfully", len(changes)),
        )

    async def _run(self, call: Callable[[str], Awaitable[T]], *, failure: str, success: str) -> T:
        """One user action: one idempotency key for all its retries; a conflict is re-raised
        as is, any other lasting failure as ActionFailed(failure)."""
        idempotency = new_idempotency_key()
        try:
            result = await retry_transient(lambda: call(idempotency))
        except ConflictError:
            raise
        except WebOpsError as error:
            raise _failed(failure, error) from error
        self._context.toast.emit(success, "success")
        self._context.entriesChanged.emit()
        return result


async def redeploy(context: StoreContext, reason: str) -> Deployment | None:
    """Start a deployment with the current entries; None (and an error toast) when it fails."""
    webops, store = context.require()
    idempotency = new_idempotency_key()
    context.toast.emit(_tr("Redeploying with secret changes"), "info")
    try:
        deployment = await retry_transient(
            lambda: webops.create_deployment(store.id, reason, idempotency_key=idempotency)
        )
    except WebOpsError as error:
        context.toast.emit(
            _tr("Failed to create the deployment. Please, try again.") + "\n" + reason_of(error),
            "error",
        )
        return None
    context.toast.emit(_tr("Deployment created successfully"), "success")
    context.deploymentsChanged.emit()
    return deployment


def new_idempotency_key() -> str:
    import uuid  # not before the first frame: it loads `platform`

    return uuid.uuid4().hex
