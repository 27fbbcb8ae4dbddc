"""A deployment's source comes from the real git of the store folder."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from faststore_desktop.webops.local.git_source import read_source
from faststore_desktop.webops.models import Source

EMPTY = Source(commit="", branch="", author="", message="")


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Ada Lovelace",
        "GIT_AUTHOR_EMAIL": "ada@example.com",
        "GIT_COMMITTER_NAME": "Ada Lovelace",
        "GIT_COMMITTER_EMAIL": "ada@example.com",
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    folder.mkdir()
    git(folder, "init", "--quiet")
    git(folder, "symbolic-ref", "HEAD", "refs/heads/feature/banner")
    (folder / "README.md").write_text("store\n")
    git(folder, "add", "README.md")
    git(folder, "commit", "--quiet", "-m", "Add the banner — ünïcode subject", "-m", "Body text")
    return folder


@pytest.mark.asyncio
async def test_commit_branch_author_and_subject(repo: Path) -> None:
    source = await read_source(repo)
    assert source == Source(
        commit=git(repo, "rev-parse", "HEAD"),
        branch="feature/banner",
        author="Ada Lovelace",
        message="Add the banner — ünïcode subject",
    )


@pytest.mark.asyncio
async def test_a_subfolder_of_the_repository_reads_the_same(repo: Path) -> None:
    (repo / "src").mkdir()
    assert (await read_source(repo / "src")).commit == git(repo, "rev-parse", "HEAD")


@pytest.mark.asyncio
async def test_a_detached_head_has_a_commit_and_no_branch(repo: Path) -> None:
    git(repo, "checkout", "--quiet", "--detach")
    source = await read_source(repo)
    assert source.branch == "" and source.commit == git(repo, "rev-parse", "HEAD")


@pytest.mark.asyncio
async def test_a_repository_without_commits_has_a_branch_only(tmp_path: Path) -> None:
    git(tmp_path, "init", "--quiet")
    git(tmp_path, "symbolic-ref", "HEAD", "refs/heads/main")
    assert await read_source(tmp_path) == Source(commit="", branch="main", author="", message="")


@pytest.mark.asyncio
async def test_not_a_repository_gives_empty_fields(tmp_path: Path) -> None:
    assert await read_source(tmp_path) == EMPTY


@pytest.mark.asyncio
async def test_a_missing_folder_gives_empty_fields(tmp_path: Path) -> None:
    assert await read_source(tmp_path / "gone") == EMPTY


@pytest.mark.asyncio
async def test_without_git_installed_the_fields_are_empty(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))
    assert await read_source(repo) == EMPTY


@pytest.mark.asyncio
async def test_git_variables_of_the_app_do_not_redirect_git(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "--quiet")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    assert (await read_source(repo)).branch == "feature/banner"
