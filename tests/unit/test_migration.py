"""The migration engine against the real embedded WebOps, on real git repositories."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from webops_fakes import FailingApply
from workspace_repo import Sandbox

from faststore_desktop.core.entries import EntryType
from faststore_desktop.core.migration import (
    LegacyState,
    MigrationError,
    MigrationPlan,
    Verification,
    apply_plan,
    remove_legacy_files,
    scan_folder,
    verify,
)
from faststore_desktop.core.workspace.trash import FreedesktopTrash, TrashedItem, TrashError
from faststore_desktop.webops.errors import UnavailableError
from faststore_desktop.webops.local.service import LocalWebOps
from faststore_desktop.webops.models import StoreConfig

TOKEN = "vtexappkey-token-0123456789"
REVEALED = {"account": "shop", "FS_DISCOVERY_APP_KEY": "vtexappkey-shop-ABC", "TOKEN": TOKEN}
HIDDEN = {
    "account": "ENC[AES256_GCM,data:c2hvcA==,iv:aXY=,tag:dGFn,type:str]",
    "FS_DISCOVERY_APP_KEY": "ENC[AES256_GCM,data:YWJj,iv:aXY=,tag:dGFn,type:str]",
    "TOKEN": "ENC[AES256_GCM,data:eHl6,iv:aXY=,tag:dGFn,type:str]",
    "PAYMENT_SECRET": "ENC[AES256_GCM,data:cGF5,iv:aXY=,tag:dGFn,type:str]",
    "sops": {"lastmodified": "2023-05-02T10:00:00Z", "mac": "ENC[AES256_GCM,data:bWFj]"},
}
LEGACY = ("secrets.revealed.json", "secrets.hidden.json")


@asynccontextmanager
async def embedded(tmp_path: Path, folder: Path) -> AsyncIterator[tuple[LocalWebOps, str]]:
    webops = await LocalWebOps.open(tmp_path / "webops", os.urandom(32), actor="ana")
    try:
        store = await webops.create_store(StoreConfig(name="shop", folder=str(folder)))
        yield webops, store.id
    finally:
        await webops.close()


def store_folder(tmp_path: Path, *, revealed: bool, hidden: bool, git: bool = True) -> Path:
    folder = tmp_path / "store"
    box = Sandbox(folder) if git else None
    folder.mkdir(exist_ok=True)
    (folder / "package.json").write_text("{}\n")
    (folder / "vtex.env").write_text("VTEX_ACCOUNT=shop\n")
    if revealed:
        (folder / "secrets.revealed.json").write_text(json.dumps(REVEALED, indent=2))
    if hidden:
        (folder / "secrets.hidden.json").write_text(json.dumps(HIDDEN, indent=2))
    if box:
        box.commit(
            "store with legacy secrets",
            "package.json",
            *(n for n in LEGACY if (folder / n).exists()),
        )
    return folder


def trash_for(tmp_path: Path) -> FreedesktopTrash:
    return FreedesktopTrash(tmp_path / "trash-home")


async def migrate(webops: LocalWebOps, store_id: str, folder: Path) -> Verification:
    scan = scan_folder(folder)
    plan = MigrationPlan(scan, {e.key: e for e in await webops.list_entries(store_id)})
    for key in plan.needs_value():
        plan.supply_value(key, f"value-of-{key}-supplied")
    await apply_plan(webops, store_id, plan)
    return await verify(webops, store_id, scan)


@pytest.mark.asyncio
async def test_only_revealed_imports_all_as_secrets_and_removes_the_files(tmp_path: Path) -> None:
    folder = store_folder(tmp_path, revealed=True, hidden=False)
    async with embedded(tmp_path, folder) as (webops, store_id):
        scan = scan_folder(folder)
        assert scan.state is LegacyState.REVEALED_ONLY
        assert "3 keys in clear" in scan.explain() and "vtex.env is kept" in scan.explain()
        plan = MigrationPlan(scan, {})
        assert plan.needs_value() == [] and plan.blockers() == []
        plan.set_type("account", EntryType.TEXT)
        rows = plan.review()
        assert [(r.key, r.type) for r in rows] == [
            ("account", EntryType.TEXT),
            ("FS_DISCOVERY_APP_KEY", EntryType.SECRET),
            ("TOKEN", EntryType.SECRET),
        ]
        assert all(TOKEN not in r.after for r in rows)
        result = await apply_plan(webops, store_id, plan)
        assert result is not None and len(result.entries) == 3
        entries = {e.key: e for e in await webops.list_entries(store_id)}
        assert entries["account"].value == "shop" and entries["TOKEN"].is_secret
        verification = await verify(webops, store_id, scan)
        assert verification.ok

        removal = remove_legacy_files(verification, trash_for(tmp_path))

    assert not (folder / "secrets.revealed.json").exists()
    assert (folder / "vtex.env").read_text() == "VTEX_ACCOUNT=shop\n"
    assert removal.untracked == ("secrets.revealed.json",)
    [item] = removal.trashed
    assert json.loads(item.location.read_text()) == REVEALED
    assert item.info is not None and "Path=" in item.info.read_text()
    staged = Sandbox(folder).git("status", "--porcelain")
    assert "D  secrets.revealed.json" in staged


@pytest.mark.asyncio
async def test_only_hidden_needs_every_value_before_importing(tmp_path: Path) -> None:
    folder = store_folder(tmp_path, revealed=False, hidden=True)
    async with embedded(tmp_path, folder) as (webops, store_id):
        scan = scan_folder(folder)
        assert scan.state is LegacyState.HIDDEN_ONLY
        assert "does not decrypt" in scan.explain()
        plan = MigrationPlan(scan, {})
        assert plan.needs_value() == ["account", "FS_DISCOVERY_APP_KEY", "TOKEN", "PAYMENT_SECRET"]
        with pytest.raises(MigrationError, match="Supply a value for: account"):
            await apply_plan(webops, store_id, plan)
        assert await webops.list_entries(store_id) == []
        for key in plan.needs_value():
            plan.supply_value(key, f"supplied-{key}")
        await apply_plan(webops, store_id, plan)
        verification = await verify(webops, store_id, scan)
        assert verification.ok
        remove_legacy_files(verification, trash_for(tmp_path))
    assert not (folder / "secrets.hidden.json").exists()


@pytest.mark.asyncio
async def test_both_files_ask_only_for_hidden_only_keys(tmp_path: Path) -> None:
    folder = store_folder(tmp_path, revealed=True, hidden=True)
    async with embedded(tmp_path, folder) as (webops, store_id):
        scan = scan_folder(folder)
        assert scan.state is LegacyState.BOTH
        assert "supply a value for 1 key that only the encrypted file names" in scan.explain()
        plan = MigrationPlan(scan, {})
        assert plan.needs_value() == ["PAYMENT_SECRET"]
        plan.supply_value("PAYMENT_SECRET", "pay-secret-value-123")
        verification = await migrate(webops, store_id, folder)
        assert verification.ok
        removal = remove_legacy_files(verification, trash_for(tmp_path))
    assert sorted(removal.untracked) == sorted(LEGACY)
    assert not any((folder / name).exists() for name in LEGACY)
    assert (folder / "vtex.env").exists()


@pytest.mark.asyncio
async def test_broken_files_block_import_and_removal(tmp_path: Path) -> None:
    folder = store_folder(tmp_path, revealed=False, hidden=False)
    (folder / "secrets.revealed.json").write_text('{"account": "shop",\n "TOKEN": 42}')
    (folder / "secrets.hidden.json").write_text('{"TOKEN": "plain"}')
    async with embedded(tmp_path, folder) as (webops, store_id):
        scan = scan_folder(folder)
        assert not scan.readable
        assert {f.code for f in scan.findings} == {"legacy-not-a-string", "legacy-not-sops"}
        assert "cannot be read" in scan.explain()
        plan = MigrationPlan(scan, {})
        with pytest.raises(MigrationError, match="Fix the problems"):
            await apply_plan(webops, store_id, plan)
        verification = await verify(webops, store_id, scan)
        with pytest.raises(MigrationError, match="kept"):
            remove_legacy_files(verification, trash_for(tmp_path))
    assert all((folder / name).exists() for name in LEGACY)


@pytest.mark.asyncio
async def test_a_failed_apply_imports_nothing_and_removes_nothing(tmp_path: Path) -> None:
    folder = store_folder(tmp_path, revealed=True, hidden=True)
    async with embedded(tmp_path, folder) as (webops, store_id):
        failing = FailingApply(webops)
        scan = scan_folder(folder)
        plan = MigrationPlan(scan, {})
        plan.supply_value("PAYMENT_SECRET", "pay-secret-value-123")
        with pytest.raises(UnavailableError):
            await apply_plan(failing, store_id, plan)  # type: ignore[arg-type]
        verification = await verify(webops, store_id, scan)
        assert verification.missing == tuple(scan.all_keys())
        with pytest.raises(MigrationError, match="not every key was verified"):
            remove_legacy_files(verification, trash_for(tmp_path))
    assert all((folder / name).exists() for name in LEGACY)
    assert Sandbox(folder).git("status", "--porcelain") == "?? vtex.env\n"


class TrashThatFailsSecond(FreedesktopTrash):
    def __init__(self, data_home: Path) -> None:
        super().__init__(data_home)
        self.moves = 0

    def move(self, path: Path) -> TrashedItem:
        self.moves += 1
        if self.moves == 2:
            raise TrashError("Cannot move secrets.hidden.json to the trash: Permission denied.")
        return super().move(path)


@pytest.mark.asyncio
async def test_a_removal_failing_half_way_puts_everything_back(tmp_path: Path) -> None:
    folder = store_folder(tmp_path, revealed=True, hidden=True)
    before = {name: (folder / name).read_bytes() for name in LEGACY}
    async with embedded(tmp_path, folder) as (webops, store_id):
        verification = await migrate(webops, store_id, folder)
        assert verification.ok
        trash = TrashThatFailsSecond(tmp_path / "trash-home")
        with pytest.raises(MigrationError, match="Nothing was removed"):
            remove_legacy_files(verification, trash)
    assert {name: (folder / name).read_bytes() for name in LEGACY} == before
    assert Sandbox(folder).git("status", "--porcelain") == "?? vtex.env\n"
    assert list((tmp_path / "trash-home" / "Trash" / "info").iterdir()) == []


class TrashThatKeepsTheFirst(TrashThatFailsSecond):
    def restore(self, item: TrashedItem) -> None:
        raise TrashError("Cannot put it back.")


@pytest.mark.asyncio
async def test_a_file_that_cannot_be_put_back_is_named(tmp_path: Path) -> None:
    folder = store_folder(tmp_path, revealed=True, hidden=True)
    async with embedded(tmp_path, folder) as (webops, store_id):
        verification = await migrate(webops, store_id, folder)
        trash = TrashThatKeepsTheFirst(tmp_path / "trash-home")
        with pytest.raises(MigrationError, match=r"secrets\.revealed\.json could not be put back"):
            remove_legacy_files(verification, trash)
    assert (folder / "secrets.hidden.json").exists()
    assert (tmp_path / "trash-home/Trash/files/secrets.revealed.json").exists()


@pytest.mark.asyncio
async def test_running_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    folder = store_folder(tmp_path, revealed=True, hidden=True)
    async with embedded(tmp_path, folder) as (webops, store_id):
        assert (await migrate(webops, store_id, folder)).ok
        entries = await webops.list_entries(store_id)
        audit = await webops.audit_trail(store_id)

        scan = scan_folder(folder)
        plan = MigrationPlan(scan, {e.key: e for e in entries})
        assert plan.to_import() == [] and plan.needs_value() == []
        assert await apply_plan(webops, store_id, plan) is None
        assert (await verify(webops, store_id, scan)).ok
        assert await webops.list_entries(store_id) == entries
        assert await webops.audit_trail(store_id) == audit


@pytest.mark.asyncio
async def test_a_file_changed_since_the_scan_is_not_removed(tmp_path: Path) -> None:
    folder = store_folder(tmp_path, revealed=True, hidden=False)
    async with embedded(tmp_path, folder) as (webops, store_id):
        verification = await migrate(webops, store_id, folder)
        (folder / "secrets.revealed.json").write_text(json.dumps({**REVEALED, "NEW": "x" * 9}))
        with pytest.raises(MigrationError, match="changed since it was checked"):
            remove_legacy_files(verification, trash_for(tmp_path))
    assert (folder / "secrets.revealed.json").exists()


@pytest.mark.asyncio
async def test_outside_git_the_files_are_still_removed(tmp_path: Path) -> None:
    folder = store_folder(tmp_path, revealed=True, hidden=False, git=False)
    async with embedded(tmp_path, folder) as (webops, store_id):
        removal = remove_legacy_files(await migrate(webops, store_id, folder), trash_for(tmp_path))
    assert removal.untracked == () and "not inside a git repository" in removal.git_note
    assert not (folder / "secrets.revealed.json").exists()
    assert (folder / "vtex.env").exists()


def test_nothing_to_migrate(tmp_path: Path) -> None:
    folder = store_folder(tmp_path, revealed=False, hidden=False)
    scan = scan_folder(folder)
    assert scan.state is LegacyState.NOTHING
    assert scan.explain().startswith("There are no legacy secrets files")
    assert MigrationPlan(scan, {}).change_set().operations == ()
