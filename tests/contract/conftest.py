"""The contract suite runs every test against each WebOps implementation.

Tests here speak only the protocol (faststore_desktop.webops.protocol.WebOps): never an
implementation's internals, so the same tests prove the HTTP client and server too.
Parameters: "local" (LocalWebOps on a temp data folder) and "http" (HttpWebOps and a real server).
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
import pytest_asyncio
from contract_support import ACTOR, BUILD_STEPS, store_folder  # tests/contract is on sys.path

from faststore_desktop.webops.local.service import LocalWebOps
from faststore_desktop.webops.models import Store, StoreConfig
from faststore_desktop.webops.protocol import WebOps

WebOpsFactory = Callable[[Path], Awaitable[WebOps]]


async def _local(data_dir: Path) -> WebOps:
    return await LocalWebOps.open(data_dir, secrets.token_bytes(32), actor=ACTOR)


async def _http(data_dir: Path) -> WebOps:
    from served_http import served_http_webops

    return served_http_webops(data_dir, ACTOR)


FACTORIES: dict[str, WebOpsFactory] = {"local": _local, "http": _http}


@pytest_asyncio.fixture(params=sorted(FACTORIES))
async def webops(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[WebOps]:
    service = await FACTORIES[request.param](tmp_path / "webops")
    try:
        yield service
    finally:
        await service.close()


@pytest.fixture
def actor() -> str:
    return ACTOR


@pytest_asyncio.fixture
async def store(webops: WebOps, tmp_path: Path) -> Store:
    """A store (its folder not a git repository) whose build is a small Python script."""
    config = StoreConfig(
        name="Contract store", folder=str(store_folder(tmp_path)), build_steps=BUILD_STEPS
    )
    return await webops.create_store(config)
