"""Three columns per key: vtex.env, WebOps now, and the live deployment's snapshot.

Values are compared by fingerprint, never shown. A text entry's value is known on both sides,
so vtex.env and WebOps are compared for it; a secret's value never comes back from WebOps and
WebOps fingerprints secrets with a key only it holds, so for a secret that comparison is
`UNKNOWN`. WebOps now and the live deployment are compared through the fingerprints WebOps
keeps in each key's history.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from faststore_desktop.core.entries import Entry, EntryType
from faststore_desktop.core.review import fingerprint
from faststore_desktop.webops.models import EntryStatus, SnapshotEntry
from faststore_desktop.webops.protocol import WebOps


class Agreement(enum.StrEnum):
    SAME = "same"
    DIFFERENT = "different"
    #: A secret: its value cannot be compared with the local one.
    UNKNOWN = "unknown"
    #: One side lacks the key (see the row's `missing_*`).
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class CompareRow:
    key: str
    in_env_file: bool
    #: Fingerprint of the local value ("" when missing).
    env_fingerprint: str
    webops_type: EntryType | None
    webops_version: int | None
    live_version: int | None
    env_vs_webops: Agreement
    webops_vs_live: Agreement
    pending: bool

    @property
    def problems(self) -> list[str]:
        """What is out of step, in words; empty when everything agrees."""
        found = []
        if not self.in_env_file and self.webops_version is not None:
            found.append("missing from vtex.env")
        if self.webops_version is None and self.in_env_file:
            found.append("missing from WebOps")
        if self.env_vs_webops is Agreement.DIFFERENT:
            found.append("vtex.env differs from WebOps")
        if self.webops_version is not None and self.live_version is None:
            found.append("not in the live deployment")
        elif self.webops_version is None and self.live_version is not None:
            found.append("deleted, still live")
        elif self.webops_vs_live is Agreement.DIFFERENT:
            found.append("live deployment has another value")
        if self.pending:
            found.append("pending redeploy")
        return found


def compare(
    local: Mapping[str, str],
    entries: Sequence[Entry],
    status: EntryStatus,
    snapshot: Sequence[SnapshotEntry],
    fingerprints: Mapping[tuple[str, int], str],
) -> list[CompareRow]:
    """`fingerprints` maps (key, version) to WebOps' fingerprint of that version's value."""
    current = {entry.key: entry for entry in entries}
    live = {item.key: item.version for item in snapshot}
    rows = []
    for key in sorted(set(local) | set(current) | set(live)):
        entry = current.get(key)
        value = local.get(key)
        rows.append(
            CompareRow(
                key=key,
                in_env_file=value is not None,
                env_fingerprint=fingerprint(value) if value is not None else "",
                webops_type=entry.type if entry else None,
                webops_version=entry.version if entry else None,
                live_version=live.get(key),
                env_vs_webops=_env_vs_webops(value, entry),
                webops_vs_live=_webops_vs_live(key, entry, live.get(key), fingerprints),
                pending=key in status.pending,
            )
        )
    return rows


def _env_vs_webops(value: str | None, entry: Entry | None) -> Agreement:
    if value is None or entry is None:
        return Agreement.MISSING
    if entry.is_secret or entry.value is None:
        return Agreement.UNKNOWN
    return Agreement.SAME if value == entry.value else Agreement.DIFFERENT


def _webops_vs_live(
    key: str,
    entry: Entry | None,
    live_version: int | None,
    fingerprints: Mapping[tuple[str, int], str],
) -> Agreement:
    if entry is None or live_version is None:
        return Agreement.MISSING
    if entry.version == live_version:
        return Agreement.SAME
    now, then = fingerprints.get((key, entry.version)), fingerprints.get((key, live_version))
    # A new version with the same value (a rollback, a re-save) is the same value.
    return Agreement.SAME if now and now == then else Agreement.DIFFERENT


async def gather_compare(
    webops: WebOps, store_id: str, local: Mapping[str, str]
) -> list[CompareRow]:
    """Read what the comparison needs from WebOps; history only for keys whose version moved."""
    entries = await webops.list_entries(store_id)
    status = await webops.status(store_id)
    snapshot: Sequence[SnapshotEntry] = ()
    if status.last_success_id is not None:
        snapshot = (await webops.get_deployment(store_id, status.last_success_id)).snapshot
    live = {item.key: item.version for item in snapshot}
    moved = [e.key for e in entries if e.key in live and live[e.key] != e.version]
    # One request per key: asked together, not one after the other (a server is remote).
    histories = await asyncio.gather(*(webops.entry_history(store_id, key) for key in moved))
    fingerprints = {
        (version.key, version.version): version.fingerprint
        for history in histories
        for version in history
    }
    return compare(local, entries, status, snapshot, fingerprints)
