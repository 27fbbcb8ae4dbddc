"""The Deploys view against a WebOps API server (HttpWebOps over HTTP and SSE), as a team sharing
one store uses it: the same view, live updates and log streaming through the server.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from async_support import cancel_pending, failing_on_background_errors, wait_until
from deploys_support import Embedded, finish, host
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from faststore_desktop.settings import Settings
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.models.deployments import DeploymentsModel
from faststore_desktop.ui.store_watcher import StoreWatcher
from faststore_desktop.ui.views.deployments import DeploymentsView
from faststore_desktop.webops.local.runner import PYTHON
from faststore_desktop.webops.local.sample import ensure_sample_store
from faststore_desktop.webops.models import BuildStep, DeploymentStatus
from tests.contract.served_http import served_http_webops

SLOW_BUILD = (
    "import time\nfor n in range(600):\n    print(f'bundling page {n}', flush=True)\n"
    "    time.sleep(0.05)\n"
)


@pytest_asyncio.fixture
async def served(tmp_path: Path) -> AsyncIterator[Embedded]:
    with failing_on_background_errors():
        webops = served_http_webops(tmp_path / "server-data", "ana")  # waits for the server
        try:
            store = await ensure_sample_store(webops, tmp_path / "stores")
            embedded = Embedded(webops, store, StoreContext(Settings(tmp_path / "settings.ini")))  # type: ignore[arg-type]
            yield embedded
            embedded.context.clear()
            await cancel_pending()
        finally:
            await webops.close()


def status_of(view: DeploymentsView) -> object:
    index = view.model.index(0, 0)
    return view.model.data(index, DeploymentsModel.StatusRole) if index.isValid() else None


@pytest.mark.asyncio
async def test_redeploy_live_log_and_cancel_through_the_server(
    qtbot: QtBot, served: Embedded
) -> None:
    webops, store = served.webops, served.store
    view = DeploymentsView(served.context)
    StoreWatcher(served.context, view)
    window = host(view)
    qtbot.addWidget(window)
    served.context.set_store(webops, store, "Team server", webops.base_url)
    details = view.details

    qtbot.mouseClick(view.redeploy_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: status_of(view) is DeploymentStatus.SUCCESS, 30, "a success")
    await wait_until(lambda: "FastStore sample store" in details.log_view.text(), what="log")

    (Path(store.config.folder) / "slow_build.py").write_text(SLOW_BUILD, encoding="utf-8")
    steps = (BuildStep("Build", (PYTHON, "slow_build.py")),)
    await webops.configure_store(store.id, dataclasses.replace(store.config, build_steps=steps))
    qtbot.mouseClick(view.redeploy_button, Qt.MouseButton.LeftButton)
    await wait_until(
        lambda: "bundling page 5" in details.log_view.text(), 30, "the log, live over SSE"
    )
    qtbot.mouseClick(details._cancel, Qt.MouseButton.LeftButton)
    await wait_until(lambda: status_of(view) is DeploymentStatus.CANCELED, 30, "Canceled")
    await wait_until(lambda: not details.follower.streaming, what="the log stream to end")
    pages = [line for line in details.log_view.text().split("\n") if line.startswith("bundling")]
    assert pages == [f"bundling page {n}" for n in range(len(pages))]
    await finish(served)
