"""The sample store: installed as a real git repository, built by the real runner, seeded."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Mapping
from pathlib import Path

import pytest
import pytest_asyncio

from faststore_desktop.core.entries import EntryType
from faststore_desktop.resources import resource_path
from faststore_desktop.webops.local.git_source import read_source
from faststore_desktop.webops.local.runner import StepResult, build_environment, run_step
from faststore_desktop.webops.local.sample import (
    SAMPLE_STEPS,
    ensure_sample_store,
    install_sample_store,
    sample_entries,
)
from faststore_desktop.webops.local.service import LocalWebOps
from faststore_desktop.webops.models import BuildStep, StoreConfig

PUBLIC_URL = "https://storeframework.vtex.app"
ENTRIES = {
    "VTEX_ACCOUNT": "storeframework",
    "NEXT_PUBLIC_STORE_URL": PUBLIC_URL,
    "FS_DISCOVERY_APP_KEY": "vtexappkey-storeframework-QWERTY",
    "FS_DISCOVERY_APP_TOKEN": "ZXCVBNMASDFGHJKLQWERTYUIOPZXCVBNMASDFGHJKLQWERTYUIOPZXCVBNMASDFG",
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def store(tmp_path: Path) -> Path:
    target = tmp_path / "stores" / "sample-store"
    install_sample_store(target)
    return target


async def build(
    store: Path, entries: Mapping[str, str], steps: tuple[BuildStep, ...] = SAMPLE_STEPS
) -> tuple[list[StepResult], list[tuple[str, str]]]:
    lines: list[tuple[str, str]] = []
    results = []
    for step in steps:
        result = await run_step(
            step,
            store_dir=store,
            env=build_environment(entries),
            scan_values={k: v for k, v in entries.items() if not k.startswith("NEXT_PUBLIC_")},
            client_output=(".next/static",),
            on_line=lambda stream, text: lines.append((stream, text)),
            cancel=asyncio.Event(),
        )
        results.append(result)
        if not result.ok:
            break
    return results, lines


def client_bundle(store: Path) -> str:
    chunks = sorted((store / ".next" / "static" / "chunks").glob("*.js"))
    assert chunks, "the build wrote no client chunk"
    return "".join(chunk.read_text() for chunk in chunks)


def test_resources_are_found_in_the_source_tree_and_in_a_frozen_bundle(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert (resource_path("sample-store") / "build.py").is_file()
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_path("sample-store", "build.py") == tmp_path / "resources/sample-store/build.py"


@pytest.mark.asyncio
async def test_installed_store_is_a_committed_git_repository(tmp_path: Path) -> None:
    target = tmp_path / "stores" / "sample-store"
    config = install_sample_store(target)
    assert config == StoreConfig(
        name="Sample store",
        vtex_account="storeframework",
        folder=str(target),
        production_branch="main",
        build_steps=SAMPLE_STEPS,
    )
    assert git(target, "status", "--porcelain", "--untracked-files=all") == ""
    assert git(target, "rev-list", "--count", "HEAD") == "1"
    ignored = (target / ".gitignore").read_text().split()
    assert {"vtex.env", ".next", "node_modules"} <= set(ignored)
    source = await read_source(target)
    assert (source.branch, source.author) == ("main", "FastStore Desktop")
    assert source.message == "Sample store: initial commit" and len(source.commit) == 40


def test_src_has_a_client_component_and_server_code_reading_the_environment() -> None:
    src = resource_path("sample-store", "src")
    sources = {p.name: p.read_text() for p in src.rglob("*.ts*")}
    client = [name for name, code in sources.items() if code.startswith("'use client'")]
    assert client == ["StoreBanner.tsx"]
    assert "process.env.NEXT_PUBLIC_STORE_URL" in sources["StoreBanner.tsx"]
    assert "process.env.FS_DISCOVERY_APP_KEY" in sources["discovery.ts"]


@pytest.mark.asyncio
async def test_the_build_inlines_public_values_and_the_scan_passes(store: Path) -> None:
    results, lines = await build(store, ENTRIES)
    assert results == [StepResult(ok=True), StepResult(ok=True)], lines
    bundle = client_bundle(store)
    assert f'const storeUrl = "{PUBLIC_URL}"' in bundle
    for key in ("FS_DISCOVERY_APP_KEY", "FS_DISCOVERY_APP_TOKEN"):
        assert ENTRIES[key] not in bundle
    assert ("stdout", " ✓ Compiled successfully") in lines
    # the build's output stays out of git
    assert git(store, "status", "--porcelain", "--untracked-files=all") == ""


@pytest.mark.asyncio
async def test_the_build_fails_clearly_without_the_discovery_app_key(store: Path) -> None:
    entries = {k: v for k, v in ENTRIES.items() if k != "FS_DISCOVERY_APP_KEY"}
    results, lines = await build(store, entries)
    assert results == [StepResult(ok=False, error="Build exited with code 1")]
    errors = [text for stream, text in lines if stream == "stderr"]
    assert errors and errors[0].startswith("Error: FS_DISCOVERY_APP_KEY is not set.")


@pytest.mark.asyncio
async def test_the_build_runs_through_the_apps_run_script_command_as_when_frozen(
    store: Path,
) -> None:
    through_app = BuildStep(
        "Build", (sys.executable, "-m", "faststore_desktop", "run-script", "build.py")
    )
    results, lines = await build(store, ENTRIES, (through_app, SAMPLE_STEPS[1]))
    assert [r.ok for r in results] == [True, True], lines
    assert ("stdout", "  ▲ FastStore sample store (Next.js-style build)") in lines


@pytest.mark.asyncio
async def test_a_secret_copied_into_a_public_variable_fails_the_leak_scan(store: Path) -> None:
    (store / "src" / "components" / "Search.tsx").write_text(
        "'use client'\nconst key = process.env.NEXT_PUBLIC_DISCOVERY_KEY\n"
        "export const search = (q: string) => fetch(`/api/search?q=${q}&key=${key}`)\n"
    )
    entries = {**ENTRIES, "NEXT_PUBLIC_DISCOVERY_KEY": ENTRIES["FS_DISCOVERY_APP_KEY"]}
    results, lines = await build(store, entries)
    assert results[0].ok and not results[1].ok
    assert results[1].error.startswith(
        "The client bundle contains the value of FS_DISCOVERY_APP_KEY"
    )
    assert all(ENTRIES["FS_DISCOVERY_APP_KEY"] not in text for _, text in lines)


@pytest.mark.asyncio
async def test_without_git_the_store_is_installed_without_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no git on it
    target = tmp_path / "sample-store"
    install_sample_store(target)
    assert (target / "build.py").is_file() and not (target / ".git").exists()


def test_seed_credentials_are_random_secrets() -> None:
    first, second = sample_entries(), sample_entries()
    ops = {op.key: op for op in first}
    assert ops["FS_DISCOVERY_APP_KEY"].type is EntryType.SECRET
    assert ops["FS_DISCOVERY_APP_TOKEN"].type is EntryType.SECRET
    assert ops["VTEX_ACCOUNT"].type is EntryType.TEXT
    second_ops = {op.key: op for op in second}
    assert ops["FS_DISCOVERY_APP_TOKEN"].value != second_ops["FS_DISCOVERY_APP_TOKEN"].value


@pytest_asyncio.fixture
async def webops(tmp_path: Path) -> AsyncIterator[LocalWebOps]:
    service = await LocalWebOps.open(tmp_path / "data", os.urandom(32), actor="tester")
    try:
        yield service
    finally:
        await service.close()


@pytest.mark.asyncio
async def test_first_run_installs_and_seeds_the_sample_store_once(
    webops: LocalWebOps, tmp_path: Path
) -> None:
    stores_dir = tmp_path / "stores"
    store = await ensure_sample_store(webops, stores_dir)
    assert store.config.name == "Sample store"
    assert Path(store.config.folder) == stores_dir / "sample-store"
    assert (stores_dir / "sample-store" / ".git").is_dir()
    entries = {e.key: e for e in await webops.list_entries(store.id)}
    assert set(entries) == {
        "VTEX_ACCOUNT",
        "NEXT_PUBLIC_STORE_URL",
        "NEXT_PUBLIC_DEFAULT_LOCALE",
        "FS_DISCOVERY_APP_KEY",
        "FS_DISCOVERY_APP_TOKEN",
    }
    assert entries["FS_DISCOVERY_APP_KEY"].value is None
    assert entries["NEXT_PUBLIC_STORE_URL"].value == PUBLIC_URL

    again = await ensure_sample_store(webops, stores_dir)
    assert again.id == store.id
    assert [p.name for p in stores_dir.iterdir()] == ["sample-store"]


@pytest.mark.asyncio
async def test_a_leftover_folder_of_an_interrupted_first_run_is_kept(
    webops: LocalWebOps, tmp_path: Path
) -> None:
    leftover = tmp_path / "stores" / "sample-store"
    leftover.mkdir(parents=True)
    store = await ensure_sample_store(webops, tmp_path / "stores")
    assert Path(store.config.folder).name == "sample-store-2"


@pytest.mark.asyncio
async def test_the_first_deployment_of_the_sample_store_succeeds(
    webops: LocalWebOps, tmp_path: Path
) -> None:
    store = await ensure_sample_store(webops, tmp_path / "stores")
    deployment = await webops.create_deployment(store.id, "First deployment")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60
    while not deployment.status.finished:
        assert loop.time() < deadline, "the deployment did not finish"
        await asyncio.sleep(0.05)
        deployment = await webops.get_deployment(store.id, deployment.id)
    assert deployment.status.value == "Success", deployment.error
    assert (deployment.source.branch, deployment.source.author) == ("main", "FastStore Desktop")
    assert [step.name for step in deployment.steps] == ["Build", "Leak scan"]
    lines = [
        line.text
        for step in deployment.steps
        async for line in webops.follow_log(store.id, deployment.id, step.name)
    ]
    assert " ✓ Compiled successfully" in lines
    assert "No value of a non-public entry was found in the client output." in lines
