"""Git hygiene of a store folder: is vtex.env ignored, are secret files tracked or in history.

Each check gives a `HygieneFinding`; where a fix is safe (`Fix`), `apply_fix` performs it.
The app never rewrites history: files committed in the past get a warning with the commits and
advice to rotate what was exposed.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from faststore_desktop.core.legacy import REVEALED_FILE
from faststore_desktop.core.wording import counted
from faststore_desktop.core.workspace.git import (
    LOG_FORMAT,
    Commit,
    GitError,
    GitRepo,
    parse_commits,
)

ENV_FILE = "vtex.env"
#: Files holding values in clear that must never be committed.
SENSITIVE_FILES = (ENV_FILE, REVEALED_FILE)


class Fix(enum.StrEnum):
    IGNORE = "ignore"  # append the file to .gitignore
    UNTRACK = "untrack"  # git rm --cached, keeping the file


class Level(enum.StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class HygieneFinding:
    code: str
    level: Level
    message: str
    path: str = ""
    fix: Fix | None = None
    commits: tuple[Commit, ...] = field(default=())


def is_ignored(repo: GitRepo, path: str) -> bool:
    """Whether the ignore rules match `path` (tracked or not: --no-index checks the rules)."""
    return repo.run(["check-ignore", "-q", "--no-index", "--", path], ok=(0, 1)).returncode == 0


def is_tracked(repo: GitRepo, path: str) -> bool:
    return bool(repo.text(["ls-files", "-z", "--", path]))


def commits_touching(repo: GitRepo, path: str) -> list[Commit]:
    """Every commit on any ref that added, changed or removed `path`, newest first."""
    return parse_commits(repo.text(["log", "--all", "-z", LOG_FORMAT, "--", path]))


def check_repository(repo: GitRepo) -> list[HygieneFinding]:
    findings: list[HygieneFinding] = []
    if is_ignored(repo, ENV_FILE):
        findings.append(
            HygieneFinding("env-ignored", Level.OK, f"{ENV_FILE} is ignored by git.", ENV_FILE)
        )
    else:
        findings.append(
            HygieneFinding(
                "env-not-ignored",
                Level.ERROR,
                f"{ENV_FILE} is not in .gitignore: it could be committed by accident.",
                ENV_FILE,
                Fix.IGNORE,
            )
        )
    for name in SENSITIVE_FILES:
        if is_tracked(repo, name):
            findings.append(
                HygieneFinding(
                    "tracked",
                    Level.ERROR,
                    f"{name} is tracked by git: its values are in the repository. Stop tracking "
                    "it (the file stays on disk), then commit.",
                    name,
                    Fix.UNTRACK,
                )
            )
        commits = commits_touching(repo, name)
        if commits:
            findings.append(
                HygieneFinding(
                    "in-history",
                    Level.WARNING,
                    f"{name} was committed in {counted(len(commits), 'commit')}: anyone with the "
                    "repository can read the values it held then. Rotate those values; the app "
                    "cannot rewrite history for you.",
                    name,
                    commits=tuple(commits),
                )
            )
    return findings


def apply_fix(repo: GitRepo, finding: HygieneFinding) -> None:
    """Raises GitError (with a message for the user) when the fix cannot be made."""
    if finding.fix is Fix.IGNORE:
        try:
            add_to_gitignore(repo.folder, finding.path)
        except OSError as error:
            raise GitError(f"Cannot update .gitignore: {error.strerror}.") from error
    elif finding.fix is Fix.UNTRACK:
        untrack(repo, [finding.path])
    else:
        raise GitError(f"There is no automatic fix for: {finding.message}")


def add_to_gitignore(folder: Path, name: str) -> None:
    """Append `/name` to the folder's .gitignore, creating it, keeping what is there."""
    gitignore = folder / ".gitignore"
    existing = gitignore.read_text(encoding="utf-8") if gitignore.exists() else ""
    separator = "" if not existing or existing.endswith("\n") else "\n"
    with gitignore.open("a", encoding="utf-8", newline="") as handle:
        handle.write(f"{separator}/{name}\n")


def untrack(repo: GitRepo, paths: Sequence[str]) -> None:
    """Stop tracking `paths`, keeping the files on disk (the removal is staged, not committed)."""
    repo.run(["rm", "--cached", "--quiet", "--ignore-unmatch", "--", *paths])


async def check_repository_async(repo: GitRepo) -> list[HygieneFinding]:
    return await asyncio.to_thread(check_repository, repo)


async def apply_fix_async(repo: GitRepo, finding: HygieneFinding) -> None:
    await asyncio.to_thread(apply_fix, repo, finding)
