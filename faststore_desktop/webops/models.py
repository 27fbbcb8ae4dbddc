"""Plain data exchanged through the WebOps protocol (stores, deployments, logs, audit)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from faststore_desktop.core.entries import Entry, EntryType


@dataclass(frozen=True, slots=True)
class BuildStep:
    """A named command run in the store folder during a deployment.

    `command` is an argv list (no shell). The special command ["@package-build"] means "the
    build script of package.json", and ["@leak-scan"] the client bundle scan.
    """

    name: str
    command: tuple[str, ...]
    optional: bool = False


@dataclass(frozen=True, slots=True)
class StoreConfig:
    name: str
    vtex_account: str = ""
    folder: str = ""
    production_branch: str = "main"
    build_steps: tuple[BuildStep, ...] = ()
    #: Folders (relative to the store) shipped to browsers; the leak scan reads them.
    client_output: tuple[str, ...] = (".next/static",)


@dataclass(frozen=True, slots=True)
class Store:
    id: str
    config: StoreConfig
    created_at: datetime


@dataclass(frozen=True, slots=True)
class EntryStatus:
    """Which keys are live (as of the last successful deployment) and which are pending."""

    live: frozenset[str]
    pending: frozenset[str]
    #: Keys deleted since the last successful deployment (also in `pending`).
    pending_deletions: frozenset[str]
    last_success_id: str | None

    @property
    def has_pending(self) -> bool:
        return bool(self.pending)


@dataclass(frozen=True, slots=True)
class ApplyResult:
    entries: tuple[Entry, ...]
    deleted: tuple[str, ...]
    #: True when this result was returned for a repeated idempotency key, nothing applied again.
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class EntryVersion:
    key: str
    version: int
    type: EntryType
    #: "create", "update", "delete" or "rollback"
    action: str
    author: str
    created_at: datetime
    #: Present only for text entries (kept out of repr, as every value is).
    value: str | None = field(default=None, repr=False)
    #: A short non-reversible fingerprint for comparing values without showing them.
    fingerprint: str = ""


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    #: e.g. "entry.create", "entry.update", "entry.delete", "entry.rollback",
    #: "deployment.create", "deployment.rerun", "deployment.cancel", "store.configure"
    action: str
    key: str | None
    detail: str = ""


class DeploymentStatus(enum.StrEnum):
    QUEUED = "Queued"
    IN_PROGRESS = "In progress"
    SUCCESS = "Success"
    FAILED = "Failed"
    CANCELED = "Canceled"

    @property
    def finished(self) -> bool:
        return self in {
            DeploymentStatus.SUCCESS,
            DeploymentStatus.FAILED,
            DeploymentStatus.CANCELED,
        }


class Environment(enum.StrEnum):
    PRODUCTION = "Production"
    PREVIEW = "Preview"


@dataclass(frozen=True, slots=True)
class Source:
    commit: str
    branch: str
    author: str
    message: str


@dataclass(frozen=True, slots=True)
class StepState:
    name: str
    status: DeploymentStatus
    started_at: datetime | None = None
    finished_at: datetime | None = None
    #: How many log lines the step has written so far.
    log_lines: int = 0
    #: Why it failed, in words a user understands (never a value).
    error: str = ""


@dataclass(frozen=True, slots=True)
class SnapshotEntry:
    key: str
    version: int
    type: EntryType
    #: True when this key/version was not in the previous successful deployment.
    new: bool = False


@dataclass(frozen=True, slots=True)
class Deployment:
    id: str
    store_id: str
    status: DeploymentStatus
    environment: Environment
    source: Source
    author: str
    reason: str
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    steps: tuple[StepState, ...] = ()
    snapshot: tuple[SnapshotEntry, ...] = ()
    #: The deployment this one reran, if any.
    rerun_of: str | None = None
    error: str = ""


class SortOrder(enum.StrEnum):
    LATEST_FIRST = "latest"
    OLDEST_FIRST = "oldest"


@dataclass(frozen=True, slots=True)
class DeploymentQuery:
    environment: Environment | None = None
    branch: str | None = None
    status: DeploymentStatus | None = None
    #: Matched against deploy ID, commit, message and author (case-insensitive substring).
    search: str = ""
    order: SortOrder = SortOrder.LATEST_FIRST
    offset: int = 0
    limit: int = 50


@dataclass(frozen=True, slots=True)
class DeploymentPage:
    items: tuple[Deployment, ...]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True, slots=True)
class LogLine:
    """One line of a step's log; `offset` is its 0-based index, used to resume following."""

    deployment_id: str
    step: str
    offset: int
    text: str
    at: datetime
    #: "stdout", "stderr" or "system" (lines the runner itself writes)
    stream: str = "stdout"


@dataclass(frozen=True, slots=True)
class StoreEvent:
    """A change a UI wants to hear about without polling; `seq` orders events of a store."""

    seq: int
    #: "entries", "deployment"
    kind: str
    deployment_id: str | None = None
    status: DeploymentStatus | None = None
    at: datetime = field(default_factory=lambda: datetime.min)
