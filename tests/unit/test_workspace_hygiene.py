"""Git hygiene checks and fixes on real temporary repositories with the real git."""

from __future__ import annotations

from pathlib import Path

import pytest
from workspace_repo import Sandbox

from faststore_desktop.core.workspace.git import GitError, GitRepo, NotARepositoryError
from faststore_desktop.core.workspace.hygiene import (
    Fix,
    HygieneFinding,
    Level,
    apply_fix,
    check_repository,
    check_repository_async,
    is_ignored,
    is_tracked,
)
from faststore_desktop.core.workspace.required import missing_required_keys


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    box = Sandbox(tmp_path / "store")
    box.write("package.json", "{}\n")
    box.commit("initial")
    return box


def by_code(findings: list, code: str, path: str = "") -> list:
    return [f for f in findings if f.code == code and (not path or f.path == path)]


def test_a_clean_store_has_only_the_ignored_finding(sandbox: Sandbox) -> None:
    sandbox.write(".gitignore", "node_modules\n/vtex.env\n")
    sandbox.commit("ignore", ".gitignore")
    sandbox.write("vtex.env", "A=1\n")
    findings = check_repository(GitRepo.open(sandbox.folder))
    assert [(f.code, f.level) for f in findings] == [("env-ignored", Level.OK)]


def test_not_ignored_is_fixed_by_appending_to_gitignore(sandbox: Sandbox) -> None:
    sandbox.write(".gitignore", "node_modules")  # no final newline: the fix must add one
    repo = GitRepo.open(sandbox.folder)
    [finding] = by_code(check_repository(repo), "env-not-ignored")
    assert finding.fix is Fix.IGNORE and finding.level is Level.ERROR
    apply_fix(repo, finding)
    assert (sandbox.folder / ".gitignore").read_text() == "node_modules\n/vtex.env\n"
    assert is_ignored(repo, "vtex.env")
    assert not by_code(check_repository(repo), "env-not-ignored")


def test_a_store_below_the_repository_top_gets_its_own_gitignore(tmp_path: Path) -> None:
    box = Sandbox(tmp_path / "mono")
    box.write("stores/shop/package.json", "{}\n")
    box.commit("initial")
    repo = GitRepo.open(box.folder / "stores" / "shop")
    [finding] = by_code(check_repository(repo), "env-not-ignored")
    apply_fix(repo, finding)
    assert (box.folder / "stores/shop/.gitignore").read_text() == "/vtex.env\n"
    box.write("stores/shop/vtex.env", "A=1\n")
    assert "vtex.env" not in box.git("status", "--porcelain")


def test_tracked_files_are_untracked_and_kept(sandbox: Sandbox) -> None:
    sandbox.write("vtex.env", "FS_DISCOVERY_APP_TOKEN=abc\n")
    sandbox.write("secrets.revealed.json", '{"account": "shop"}\n')
    sandbox.commit("oops", "vtex.env", "secrets.revealed.json")
    repo = GitRepo.open(sandbox.folder)
    tracked = by_code(check_repository(repo), "tracked")
    assert sorted(f.path for f in tracked) == ["secrets.revealed.json", "vtex.env"]
    for finding in tracked:
        assert finding.fix is Fix.UNTRACK
        apply_fix(repo, finding)
    assert not is_tracked(repo, "vtex.env") and not is_tracked(repo, "secrets.revealed.json")
    assert (sandbox.folder / "vtex.env").read_text() == "FS_DISCOVERY_APP_TOKEN=abc\n"
    assert (sandbox.folder / "secrets.revealed.json").exists()
    assert not by_code(check_repository(repo), "tracked")


def test_past_commits_are_listed_even_after_removal(sandbox: Sandbox) -> None:
    sandbox.write("vtex.env", "A=1\n")
    first = sandbox.commit("add env", "vtex.env")
    sandbox.write("vtex.env", "A=2\n")
    second = sandbox.commit("change env", "vtex.env")
    sandbox.git("rm", "-q", "--cached", "vtex.env")
    sandbox.git("commit", "-q", "-m", "stop tracking")
    third = sandbox.git("rev-parse", "HEAD").strip()
    [finding] = by_code(check_repository(GitRepo.open(sandbox.folder)), "in-history", "vtex.env")
    assert finding.level is Level.WARNING
    assert [c.sha for c in finding.commits] == [third, second, first]
    assert finding.commits[0].subject == "stop tracking"
    assert finding.commits[0].author == "Ana Dev"
    assert "Rotate" in finding.message


def test_a_commit_on_another_branch_is_found(sandbox: Sandbox) -> None:
    sandbox.git("checkout", "-q", "-b", "feature")
    sandbox.write("secrets.revealed.json", "{}\n")
    sha = sandbox.commit("secrets on a branch", "secrets.revealed.json")
    sandbox.git("checkout", "-q", "main")
    findings = check_repository(GitRepo.open(sandbox.folder))
    [finding] = by_code(findings, "in-history", "secrets.revealed.json")
    assert [c.sha for c in finding.commits] == [sha]


def test_a_folder_outside_git_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    with pytest.raises(NotARepositoryError) as caught:
        GitRepo.open(folder)
    assert "not inside a git repository" in caught.value.message


def test_missing_git_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from faststore_desktop.core.workspace.git import GitNotInstalledError

    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GitNotInstalledError):
        GitRepo.open(tmp_path)


@pytest.mark.asyncio
async def test_the_async_check_matches_the_sync_one(sandbox: Sandbox) -> None:
    repo = await GitRepo.open_async(sandbox.folder)
    assert await check_repository_async(repo) == check_repository(repo)


def test_required_keys_missing_per_place() -> None:
    missing = missing_required_keys(
        webops_keys={"FS_DISCOVERY_APP_KEY", "VTEX_ACCOUNT"},
        env_file_keys={"FS_DISCOVERY_APP_KEY", "FS_DISCOVERY_APP_TOKEN"},
    )
    assert [(m.key, m.missing_in_webops, m.missing_in_env_file) for m in missing] == [
        ("FS_DISCOVERY_APP_TOKEN", True, False),
        ("VTEX_ACCOUNT", False, True),
    ]
    assert missing[1].message.startswith("VTEX_ACCOUNT is missing from vtex.env")
    assert (
        missing_required_keys(
            {"FS_DISCOVERY_APP_KEY", "FS_DISCOVERY_APP_TOKEN", "VTEX_ACCOUNT"},
            {"FS_DISCOVERY_APP_KEY", "FS_DISCOVERY_APP_TOKEN", "VTEX_ACCOUNT"},
        )
        == []
    )


def test_a_gitignore_that_cannot_be_written_is_a_git_error(sandbox: Sandbox) -> None:
    (sandbox.folder / ".gitignore").mkdir()  # a folder where the file should be
    repo = GitRepo.open(sandbox.folder)
    finding = HygieneFinding("env-not-ignored", Level.ERROR, "", "vtex.env", Fix.IGNORE)
    with pytest.raises(GitError, match=r"Cannot update \.gitignore"):
        apply_fix(repo, finding)
