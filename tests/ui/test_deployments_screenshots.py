"""Pictures of the Deploys and Activity views with realistic data, for a person to look at.

Built against the real embedded WebOps and sample store: two successful deployments, one that
failed for a missing secret, one canceled, and one in progress streaming its log. Saved to
artifacts/screenshots/ (git-ignored), in the light theme and in a dark one.
"""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import pytest
from async_support import wait_until
from deploys_support import Embedded, finish, host
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot
from screenshot_support import OUT, save
from test_app_start import running

from faststore_desktop.core.entries import EntryType
from faststore_desktop.settings import LOCAL_CONNECTION_ID
from faststore_desktop.ui.icons import style_sheet
from faststore_desktop.ui.store_watcher import StoreWatcher
from faststore_desktop.ui.views.activity import ActivityView
from faststore_desktop.ui.views.deployments import DeploymentsView
from faststore_desktop.webops.local.runner import PYTHON
from faststore_desktop.webops.models import BuildStep, DeploymentStatus

NEXT_LIKE_BUILD = """\
import time
print("  ▲ Next.js 14.2.3 (FastStore)", flush=True)
print("  - Environments: .env.production", flush=True)
print("   Linting and checking validity of types ...", flush=True)
for n in range(1, 400):
    print(f"   Compiling /[slug]/p chunk {n:03d} (client and server) ...", flush=True)
    time.sleep(0.05)
"""


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2b2e"),
        (QPalette.ColorRole.WindowText, "#e6e6e6"),
        (QPalette.ColorRole.Base, "#1f1f22"),
        (QPalette.ColorRole.AlternateBase, "#26262a"),
        (QPalette.ColorRole.Text, "#e6e6e6"),
        (QPalette.ColorRole.Button, "#35353a"),
        (QPalette.ColorRole.ButtonText, "#e6e6e6"),
        (QPalette.ColorRole.Highlight, "#3d6fb6"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"),
        (QPalette.ColorRole.PlaceholderText, "#9a9aa0"),
    ):
        palette.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(disabled, role, QColor("#7a7a80"))
    return palette


async def deploy(embedded: Embedded, view: DeploymentsView, count: int) -> None:
    await embedded.webops.create_deployment(embedded.store.id, "Redeploying with secret changes")
    await wait_until(
        lambda: view.model.rowCount() == count and view.model.deployment(0).status.finished,
        what=f"deployment {count}",
    )


@pytest.mark.asyncio
@pytest.mark.usefixtures("styled")
async def test_screenshots(qtbot: QtBot, qapp: QApplication, embedded: Embedded) -> None:
    webops, store_id, context = embedded.webops, embedded.store.id, embedded.context
    view = DeploymentsView(context)
    StoreWatcher(context, view)
    window = host(view, 1280, 820)
    qtbot.addWidget(window)
    context.set_store(webops, embedded.store, "This computer", LOCAL_CONNECTION_ID)

    await deploy(embedded, view, 1)
    await webops.create_entry(store_id, "NEXT_PUBLIC_BANNER", EntryType.TEXT, "Black Friday")
    await deploy(embedded, view, 2)
    key = await webops.get_entry(store_id, "FS_DISCOVERY_APP_KEY")
    await webops.delete_entry(store_id, key.key, expected_version=key.version)
    await deploy(embedded, view, 3)
    await webops.create_entry(store_id, key.key, EntryType.SECRET, "vtexappkey-restored")
    config = embedded.store.config
    (Path(config.folder) / "next_like_build.py").write_text(NEXT_LIKE_BUILD, encoding="utf-8")
    await webops.configure_store(
        store_id,
        dataclasses.replace(
            config, build_steps=(BuildStep("Build", (PYTHON, "next_like_build.py")),)
        ),
    )
    for count, cancel in ((4, True), (5, False)):  # the newest stays selected
        running = await webops.create_deployment(store_id, "Redeploy requested")
        running_id = running.id
        await wait_until(
            lambda: (
                view.details.deployment is not None
                and view.details.deployment.id == running_id  # noqa: B023 - awaited here
                and "chunk 040" in view.details.log_view.text()
            ),
            30,
            "a build in progress, selected",
        )
        if cancel:
            await webops.cancel_deployment(store_id, running.id)
            await wait_until(
                lambda: view.model.deployment(0).status is DeploymentStatus.CANCELED,
                what="the cancel",
            )
        assert view.model.rowCount() == count
    await asyncio.sleep(1.2)  # the elapsed time ticks
    save(window, "deploys-running")

    # As the app does when the OS switches: a new palette, then the style sheet again.
    qapp.setPalette(dark_palette())
    qapp.setStyleSheet(style_sheet("app"))
    await asyncio.sleep(0.3)
    save(window, "deploys-running-dark")
    qapp.setPalette(QPalette())
    qapp.setStyleSheet(style_sheet("app"))

    view.table.selectRow(2)  # the failed one
    await wait_until(
        lambda: "FS_DISCOVERY_APP_KEY is not set" in view.details.log_view.text(),
        what="the failed build's log",
    )
    save(window, "deploys-failed")
    view.focus_find()  # Ctrl+F with a deployment selected: the log's find bar
    find_field = view.details.log_view.findChild(QLineEdit, "findInLog")
    assert find_field is not None
    find_field.setText("is not set")
    assert view.details.log_view.find_text("is not set")
    await asyncio.sleep(0.1)
    save(window, "deploys-find-in-log")

    view.table.selectRow(3)  # the one that added NEXT_PUBLIC_BANNER
    await wait_until(lambda: view.details.snapshot_model.new_count == 1, what="its keys")
    view.details._tabs.setCurrentIndex(1)
    await asyncio.sleep(0.2)
    save(window, "deploys-keys")

    activity = ActivityView(context)
    activity_window = host(activity, 1100, 620)
    qtbot.addWidget(activity_window)
    await wait_until(lambda: activity.model.rowCount() >= 10, what="the activity")
    save(activity_window, "activity")
    await webops.cancel_deployment(store_id, running.id)
    for name in (
        "deploys-running",
        "deploys-failed",
        "deploys-find-in-log",
        "deploys-keys",
        "activity",
    ):
        assert (OUT / f"{name}.png").stat().st_size > 10_000
    await finish(embedded)


# The real (private) Secret Service: with the tests' in-memory keyring the status bar would
# show the "Not a system keyring" warning no user of a system keyring sees.
@pytest.mark.usefixtures("real_keyring")
@pytest.mark.asyncio
@pytest.mark.usefixtures("styled")
async def test_main_window_on_the_deploys_view(tmp_path: Path) -> None:
    """The whole window as a user sees it after a few redeploys, one of them failing."""
    async with running(tmp_path) as started:
        app = started.app
        await wait_until(lambda: app.context.store is not None, 60, "the sample store")
        webops, store = app.context.require()
        app.window.show_view(DeploymentsView.view_name)
        view = app.window.current_view()
        assert isinstance(view, DeploymentsView)
        await webops.create_deployment(store.id, "First deployment")
        await wait_until(lambda: view.model.rowCount() == 1, 30, "the first deployment")
        key = await webops.get_entry(store.id, "FS_DISCOVERY_APP_KEY")
        await webops.delete_entry(store.id, key.key, expected_version=key.version)
        await webops.create_deployment(store.id, "Redeploying with secret changes")
        await wait_until(
            lambda: (
                view.model.rowCount() == 2
                and view.details.deployment is not None
                and view.details.deployment.status is DeploymentStatus.FAILED
                and "is not set" in view.details.log_view.text()
            ),
            30,
            "the failed deployment, selected, with its log",
        )
        app.window.resize(1280, 860)
        await asyncio.sleep(0.3)
        save(app.window, "main-window-deploys")
    assert (OUT / "main-window-deploys.png").stat().st_size > 10_000
