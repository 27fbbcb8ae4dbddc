"""Request bodies of the WebOps API that are not protocol types themselves.

Responses are the protocol's own dataclasses (webops/models.py, core/entries.py); a change set
travels as the core's `Operation` list.
"""

from __future__ import annotations

from dataclasses import dataclass

from faststore_desktop.core.changeset import Operation
from faststore_desktop.core.entries import EntryType


@dataclass(frozen=True, slots=True)
class CreateEntryBody:
    key: str
    type: EntryType
    value: str

    def __repr__(self) -> str:
        return f"CreateEntryBody(key={self.key!r}, type={self.type.value})"


@dataclass(frozen=True, slots=True)
class UpdateEntryBody:
    value: str
    #: None keeps the stored type.
    type: EntryType | None = None
    #: May instead come as an `If-Match: "<version>"` header.
    expected_version: int | None = None

    def __repr__(self) -> str:
        return f"UpdateEntryBody(type={self.type}, expected_version={self.expected_version})"


@dataclass(frozen=True, slots=True)
class RollbackBody:
    version: int
    #: None when the key is deleted (rolling back restores it).
    expected_version: int | None = None


@dataclass(frozen=True, slots=True)
class ChangeSetBody:
    operations: tuple[Operation, ...]


@dataclass(frozen=True, slots=True)
class DeploymentBody:
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Health:
    status: str
    #: Always "faststore-webops": tells a WebOps server from any other web server.
    service: str
    api: str
    version: str
    #: Idempotency-Key is honoured by every mutation, creating and configuring a store and
    #: rerunning and cancelling a deployment included (absent from older servers' answers).
    idempotent_mutations: bool


@dataclass(frozen=True, slots=True)
class WhoAmI:
    name: str
    role: str


SERVICE_NAME = "faststore-webops"
API_PREFIX = "/api/v1"
#: Where a server says it is up and what it can do (no authentication).
HEALTH_PATH = "/healthz"
