"""Search a store's repository, tracked files and history, for values the app knows locally.

The values come from vtex.env and secrets.revealed.json. They reach git only on stdin
(`git grep -f -`) or are matched here against `git log -p` output: never on a command line,
where other users of the machine could read them. Findings name the key, the file and the line
or commit: never the value.

Public keys (NEXT_PUBLIC_...) and short values are not searched, as in the bundle scan
(`core.leakscan`): they would match by chance. For a multi-line value (a PEM key) the longest
line is searched, since git matches line by line.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from faststore_desktop.core.leakscan import MIN_VALUE_LENGTH
from faststore_desktop.core.validation import is_public
from faststore_desktop.core.workspace.git import (
    Cancellation,
    Commit,
    GitRepo,
    in_thread_cancellably,
    parse_commits,
)

#: Keys whose values are names, not secrets: the account name is in every store's code.
NOT_SECRET_KEYS = frozenset({"VTEX_ACCOUNT", "account"})
_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")
_COMMIT_MARK = b"\0"
_LOG_FORMAT = "--format=%x00%H%x1f%an%x1f%aI%x1f%s"


@dataclass(frozen=True, slots=True)
class RepoLeak:
    key: str
    #: Relative to the repository top, with forward slashes.
    file: str
    #: 1-based line in the file (in the commit's version of it, for history findings).
    line: int
    #: None for a tracked file as it is now.
    commit: Commit | None = None


@dataclass(frozen=True, slots=True)
class RepoLeakReport:
    in_files: tuple[RepoLeak, ...]
    in_history: tuple[RepoLeak, ...]
    #: Keys whose values were not searched (public, or too short to search reliably).
    skipped: tuple[str, ...] = field(default=())

    @property
    def found(self) -> bool:
        return bool(self.in_files or self.in_history)


class _Needles:
    """The searchable form of each value, and which keys hold it."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.keys_of: dict[bytes, list[str]] = {}
        self.skipped: list[str] = []
        for key, value in sorted(values.items()):
            needle = max(value.splitlines() or [""], key=len).strip()
            if is_public(key) or len(needle) < MIN_VALUE_LENGTH:
                self.skipped.append(key)
            else:
                self.keys_of.setdefault(needle.encode(), []).append(key)
        alternatives = sorted(self.keys_of, key=len, reverse=True)
        self.pattern = re.compile(b"|".join(re.escape(n) for n in alternatives))

    def __bool__(self) -> bool:
        return bool(self.keys_of)

    def keys_in(self, line: bytes, start: int = 0) -> list[str]:
        if self.pattern.search(line, start) is None:  # the common case, kept cheap
            return []
        found = dict.fromkeys(
            key
            for match in self.pattern.finditer(line, start)
            for key in self.keys_of[match.group()]
        )
        return list(found)


def secret_values(*sources: Mapping[str, str], text_keys: Collection[str]) -> dict[str, str]:
    """The values worth searching: every source's, except keys WebOps stores as text (they are
    shown to anyone with access) and names such as the account. Later sources win."""
    values: dict[str, str] = {}
    for source in sources:
        values.update(source)
    return {
        key: value
        for key, value in values.items()
        if key not in text_keys and key not in NOT_SECRET_KEYS
    }


def scan_repository(
    repo: GitRepo, values: Mapping[str, str], *, cancellation: Cancellation | None = None
) -> RepoLeakReport:
    """Raises GitCancelledError, its git commands killed, once `cancellation` is cancelled."""
    needles = _Needles(values)
    if not needles:
        return RepoLeakReport((), (), tuple(needles.skipped))
    return RepoLeakReport(
        tuple(_scan_tracked(repo, needles, cancellation)),
        tuple(_scan_history(repo, needles, cancellation)),
        tuple(needles.skipped),
    )


def _scan_tracked(
    repo: GitRepo, needles: _Needles, cancellation: Cancellation | None
) -> Iterable[RepoLeak]:
    patterns = b"\n".join(needles.keys_of) + b"\n"
    result = repo.run(
        ["-c", "core.quotepath=off", "grep", "-I", "-n", "-z", "--full-name", "-F", "-f", "-"],
        stdin=patterns,
        ok=(0, 1),
        cancellation=cancellation,
    )
    # Records end with LF only: a CR inside a line (git keeps it) must not split the record.
    for record in result.stdout.split(b"\n"):
        if not record:
            continue
        path, line, content = record.split(b"\0", 2)
        for key in needles.keys_in(content):
            yield RepoLeak(key, path.decode("utf-8", "replace"), int(line))


def _scan_history(
    repo: GitRepo, needles: _Needles, cancellation: Cancellation | None
) -> Iterable[RepoLeak]:
    """Lines added by any commit on any ref; each (key, commit, file) once."""
    args = ["-c", "core.quotepath=off", "log", "--all", "-p", "-U0", "--no-color"]
    args += ["--no-ext-diff", "--no-textconv", "--no-renames", _LOG_FORMAT]
    seen: set[tuple[str, str, str]] = set()
    commit: Commit | None = None
    path = ""
    line = 0
    with repo.stream(args, cancellation=cancellation) as lines:
        for raw in lines:
            text = raw.rstrip(b"\n")
            if text.startswith(_COMMIT_MARK):
                [commit] = parse_commits(text[1:].decode("utf-8", "replace"))
            elif text.startswith(b"+++ "):
                path = text[6:].rstrip(b"\t").decode("utf-8", "replace")  # "+++ b/<path>"
            elif text.startswith(b"@@") and (match := _HUNK.match(text)):
                line = int(match.group(1))
            elif text.startswith(b"+") and commit is not None:
                for key in needles.keys_in(text, start=1):
                    if (key, commit.sha, path) not in seen:
                        seen.add((key, commit.sha, path))
                        yield RepoLeak(key, path, line, commit)
                line += 1


async def scan_repository_async(repo: GitRepo, values: Mapping[str, str]) -> RepoLeakReport:
    """Cancelling the awaiting task stops the scan: its git commands are killed, not orphaned."""
    values = dict(values)
    return await in_thread_cancellably(
        lambda cancellation: scan_repository(repo, values, cancellation=cancellation)
    )
