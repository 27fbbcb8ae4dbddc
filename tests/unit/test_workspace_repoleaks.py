"""The repository leak scan on a real git repository: tracked files and history."""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path

import pytest
from async_support import wait_until
from workspace_repo import (
    ENDLESS_HISTORY,
    Sandbox,
    install_git_shim,
    process_alive,
    written_pid,
)

from faststore_desktop.core.workspace.git import GitRepo
from faststore_desktop.core.workspace.repoleaks import (
    scan_repository,
    scan_repository_async,
    secret_values,
)

TOKEN = "vtexappkey-shop-QWERTY123456"
PASSWORD = "Zx9!long-payment-password"
PEM = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"
    "-----END PRIVATE KEY-----"
)

VALUES = {
    "FS_DISCOVERY_APP_TOKEN": TOKEN,
    "PAYMENT_PASSWORD": PASSWORD,
    "SIGNING_KEY": PEM,
    "NEXT_PUBLIC_GTM_ID": "GTM-ABCDEFGH",
    "VTEX_ACCOUNT": "shop",
}


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    box = Sandbox(tmp_path / "store")
    box.write("README.md", "# Shop\n")
    return box


def test_a_value_committed_two_commits_ago_is_found_in_history(sandbox: Sandbox) -> None:
    sandbox.write("src/config.ts", f"export const token = '{TOKEN}'\n")
    leaked = sandbox.commit("add config")
    sandbox.write("src/config.ts", "export const token = process.env.FS_DISCOVERY_APP_TOKEN\n")
    sandbox.commit("read the token from the environment")
    sandbox.write("README.md", "# Shop\nDocs.\n")
    sandbox.commit("docs")

    report = scan_repository(GitRepo.open(sandbox.folder), VALUES)

    assert report.in_files == ()
    [leak] = report.in_history
    assert (leak.key, leak.file, leak.line) == ("FS_DISCOVERY_APP_TOKEN", "src/config.ts", 1)
    assert leak.commit is not None and leak.commit.sha == leaked
    assert leak.commit.subject == "add config"
    assert set(report.skipped) == {"NEXT_PUBLIC_GTM_ID", "VTEX_ACCOUNT"}


def test_tracked_files_report_file_and_line(sandbox: Sandbox) -> None:
    sandbox.write("docs/deploy.md", "Steps\n\nUse the password " + PASSWORD + " for payments\n")
    sandbox.write("keys/signing.pem", PEM + "\n")
    sandbox.commit("notes")
    report = scan_repository(GitRepo.open(sandbox.folder), VALUES)
    assert {(leak.key, leak.file, leak.line) for leak in report.in_files} == {
        ("PAYMENT_PASSWORD", "docs/deploy.md", 3),
        ("SIGNING_KEY", "keys/signing.pem", 2),
    }
    assert {(leak.key, leak.file) for leak in report.in_history} == {
        ("PAYMENT_PASSWORD", "docs/deploy.md"),
        ("SIGNING_KEY", "keys/signing.pem"),
    }


def test_a_clean_repository_reports_nothing(sandbox: Sandbox) -> None:
    sandbox.commit("initial")
    report = scan_repository(GitRepo.open(sandbox.folder), VALUES)
    assert not report.found


def test_values_never_reach_a_command_line(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox.write("a.txt", TOKEN + "\n")
    sandbox.commit("leak")
    command_lines: list[str] = []
    real_run, real_popen = subprocess.run, subprocess.Popen

    def spy_run(args: list[str], **kwargs: object) -> object:
        command_lines.append(" ".join(args))
        return real_run(args, **kwargs)  # type: ignore[call-overload]

    class SpyPopen(real_popen):  # type: ignore[misc,valid-type]
        def __init__(self, args: list[str], **kwargs: object) -> None:
            command_lines.append(" ".join(args))
            super().__init__(args, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy_run)
    monkeypatch.setattr(subprocess, "Popen", SpyPopen)
    report = scan_repository(GitRepo.open(sandbox.folder), VALUES)
    assert report.in_files and report.in_history
    assert command_lines
    assert not [line for line in command_lines if TOKEN in line or PASSWORD in line]
    assert TOKEN not in repr(report)


@pytest.mark.asyncio
async def test_async_wrapper(sandbox: Sandbox) -> None:
    sandbox.write("a.txt", PASSWORD + "\n")
    sandbox.commit("leak")
    report = await scan_repository_async(GitRepo.open(sandbox.folder), VALUES)
    assert [leak.key for leak in report.in_files] == ["PAYMENT_PASSWORD"]


def test_secret_values_leave_out_text_entries_and_the_account() -> None:
    env = {
        "VTEX_ACCOUNT": "shopshopshop",
        "FS_DISCOVERY_APP_TOKEN": "a" * 12,
        "CMS_URL": "https://cms",
    }
    revealed = {"account": "shopshopshop", "FS_DISCOVERY_APP_TOKEN": "b" * 12, "PAY": "p" * 10}
    assert secret_values(env, revealed, text_keys={"CMS_URL"}) == {
        "FS_DISCOVERY_APP_TOKEN": "b" * 12,
        "PAY": "p" * 10,
    }


def test_values_never_reach_gits_command_line(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox.write("src/config.ts", f"export const token = '{TOKEN}'\n")
    sandbox.commit("add config")
    calls = tmp_path / "git-calls.log"
    install_git_shim(tmp_path / "shim", monkeypatch, f'printf "%s\\n" "$*" >> "{calls}"')

    report = scan_repository(GitRepo.open(sandbox.folder), VALUES)

    assert [leak.key for leak in report.in_files] == ["FS_DISCOVERY_APP_TOKEN"]
    command_lines = calls.read_text()
    assert "grep" in command_lines and "log" in command_lines  # the shim saw the scan
    assert all(value not in command_lines for value in (TOKEN, PASSWORD, "MIIEvQIBADAN"))


def test_a_line_with_a_carriage_return_inside_is_one_finding(sandbox: Sandbox) -> None:
    sandbox.write("legacy.txt", f"a\rtoken={TOKEN}\rb\n")
    sandbox.commit("old mac line endings")

    report = scan_repository(GitRepo.open(sandbox.folder), VALUES)

    assert [(leak.key, leak.file, leak.line) for leak in report.in_files] == [
        ("FS_DISCOVERY_APP_TOKEN", "legacy.txt", 1)
    ]


@pytest.mark.skipif(os.name != "posix", reason="the git shim is a shell script")
@pytest.mark.asyncio
async def test_cancelling_the_scan_kills_git_and_what_it_started(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox.write("a.txt", TOKEN + "\n")
    sandbox.commit("leak")
    pid_file = tmp_path / "sleep.pid"
    install_git_shim(tmp_path / "shim", monkeypatch, ENDLESS_HISTORY.format(pid=pid_file))
    scan = asyncio.ensure_future(scan_repository_async(GitRepo.open(sandbox.folder), VALUES))
    await wait_until(lambda: written_pid(pid_file) is not None, what="the history scan")
    child = written_pid(pid_file)
    assert child is not None
    assert process_alive(child)

    loop = asyncio.get_running_loop()
    asked = loop.time()
    scan.cancel()
    with pytest.raises(asyncio.CancelledError):
        await scan
    assert loop.time() - asked < 5  # not the minute the history would take
    assert not process_alive(child)
