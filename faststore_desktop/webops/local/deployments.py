"""The deployment queue and state machine of the embedded WebOps.

Queued -> In progress -> Success | Failed | Canceled, one deployment at a time per store. A
deployment records at creation the entry versions it builds with; a redeploy asked while one is
still queued joins it (its snapshot is renewed, since it has not started). Rerun builds an
earlier deployment's exact snapshot again. Steps run through the runner as subprocesses with the
entries in their environment; their output goes to the step logs.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Protocol

from faststore_desktop.core.entries import EntryType
from faststore_desktop.webops.errors import ConflictError, NotFoundError
from faststore_desktop.webops.local import deployment_rows as rows
from faststore_desktop.webops.local import git_source, idempotency, runner
from faststore_desktop.webops.local.crypto import ValueCipher
from faststore_desktop.webops.local.db import Database
from faststore_desktop.webops.local.journal import append_audit
from faststore_desktop.webops.local.logs import LogStore, StepLog, append_system_line, count_lines
from faststore_desktop.webops.local.masking import LineMask
from faststore_desktop.webops.local.notifier import Notifier
from faststore_desktop.webops.local.runner import StepResult
from faststore_desktop.webops.local.stores import get_store
from faststore_desktop.webops.models import (
    BuildStep,
    Deployment,
    DeploymentPage,
    DeploymentQuery,
    DeploymentStatus,
    Environment,
    LogLine,
    Source,
    Store,
)

#: How often a log follower re-reads a step run by another process (this one's wake it at once).
_LOG_POLL_SECONDS = 0.5
_INTERNAL_ERROR = "The deployment stopped on an internal error; see the app's log."
_log = logging.getLogger(__name__)


class RunStep(Protocol):
    """The signature of `runner.run_step`, which tests replace with a scripted step."""

    def __call__(
        self,
        step: BuildStep,
        *,
        store_dir: Path,
        env: Mapping[str, str],
        scan_values: Mapping[str, str],
        client_output: tuple[str, ...],
        on_line: Callable[[str, str], None],
        cancel: asyncio.Event,
        mask: LineMask,
    ) -> Awaitable[StepResult]: ...


@dataclass(frozen=True, slots=True)
class BuildTools:
    """What a deployment needs from the outside world: the runner and the git reader."""

    run_step: RunStep
    build_environment: Callable[[Mapping[str, str]], dict[str, str]]
    default_steps: Callable[[Path], tuple[BuildStep, ...]]
    read_source: Callable[[Path], Awaitable[Source]]


REAL_TOOLS = BuildTools(
    run_step=runner.run_step,
    build_environment=runner.build_environment,
    default_steps=runner.default_steps,
    read_source=git_source.read_source,
)


@dataclass(frozen=True, slots=True)
class _Build:
    """Everything a worker needs to run one deployment; values only in memory."""

    store: Store
    steps: tuple[BuildStep, ...]
    values: dict[str, str] = field(repr=False)
    secret_keys: frozenset[str]


class DeploymentEngine:
    def __init__(
        self,
        db: Database,
        *,
        cipher: ValueCipher,
        logs: LogStore,
        notifier: Notifier,
        tools: BuildTools,
    ) -> None:
        self._db = db
        self._cipher = cipher
        self._logs = logs
        self._notifier = notifier
        self._tools = tools
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._wanted: set[str] = set()
        self._cancels: dict[str, asyncio.Event] = {}
        self._finished: dict[str, asyncio.Event] = {}
        self._closing = False

    # -- start and stop ---------------------------------------------------------------------------

    async def recover(self) -> None:
        """After a crash: fail what was running ("interrupted"), then run what is queued."""
        interrupted = await self._db.write(rows.interrupt_running)
        for store_id, deployment_id, position in interrupted:
            path = self._logs.path(store_id, deployment_id, position)
            await asyncio.to_thread(
                append_system_line,
                path,
                "The app stopped while this step was running: the deployment failed (interrupted).",
            )
            count = await asyncio.to_thread(count_lines, path)
            await self._db.write(
                partial(
                    rows.set_log_lines, deployment_id=deployment_id, position=position, count=count
                )
            )
        for store_id in await self._db.read(rows.stores_with_queued):
            self._kick(store_id)

    async def close(self) -> None:
        """Cancel running builds and wait for their workers to record it; queued ones wait."""
        self._closing = True
        for cancel in self._cancels.values():
            cancel.set()
        workers = list(self._workers.values())
        if workers:
            await asyncio.gather(*workers, return_exceptions=True)

    # -- commands ---------------------------------------------------------------------------------

    async def create(
        self, store_id: str, reason: str, idempotency_key: str | None, *, actor: str
    ) -> Deployment:
        """Queue a deployment of the entries saved now, or join the one still queued (renewing
        its snapshot: it has not started, so it will build with these entries anyway)."""
        request = self._request("deployment.create", actor, [store_id, reason])
        replayed = await self._replayed(store_id, idempotency_key, request)
        if replayed is not None:
            return replayed
        store = await self._db.read(lambda conn: get_store(conn, store_id))
        folder = Path(store.config.folder)
        source = await self._tools.read_source(folder)
        steps = await asyncio.to_thread(self._steps_for, store)

        def write(conn: sqlite3.Connection) -> tuple[str, bool]:
            stored = idempotency.recall(conn, store_id, idempotency_key, request)
            if stored is not None:
                return str(stored["deployment"]), True
            waiting = rows.queued(conn, store_id)
            if waiting is not None:
                rows.replace_snapshot(conn, waiting, rows.current_snapshot(conn, store_id))
                detail = f"joined the queued deployment {waiting}"
                deployment_id = waiting
            else:
                deployment_id = rows.insert(
                    conn,
                    rows.NewDeployment(
                        store_id=store_id,
                        environment=_environment(source, store),
                        source=source,
                        author=actor,
                        reason=reason,
                        steps=steps,
                        snapshot=rows.current_snapshot(conn, store_id),
                    ),
                )
                detail = f"deployment {deployment_id}: {reason}"
            append_audit(conn, store_id, actor, [("deployment.create", None, detail)])
            result = {"deployment": deployment_id}
            idempotency.remember(conn, store_id, idempotency_key, request, result)
            return deployment_id, False

        deployment_id, again = await self._db.write(write)
        if not again:
            self._notifier.notify(store_id)
            self._kick(store_id)
        return await self.get(store_id, deployment_id)

    async def rerun(
        self, store_id: str, deployment_id: str, idempotency_key: str | None, *, actor: str
    ) -> Deployment:
        """A new deployment with the same entry versions as `deployment_id` (the same build).
        A repeated `idempotency_key` returns the deployment the first request created."""
        request = self._request("deployment.rerun", actor, [store_id, deployment_id])
        replayed = await self._replayed(store_id, idempotency_key, request)
        if replayed is not None:
            return replayed
        original = await self.get(store_id, deployment_id)
        if not original.status.finished:
            raise ConflictError(
                f"Deployment {deployment_id} has not finished yet; cancel it or wait for it."
            )
        store = await self._db.read(lambda conn: get_store(conn, store_id))
        source = await self._tools.read_source(Path(store.config.folder))
        steps = await asyncio.to_thread(self._steps_for, store)

        def write(conn: sqlite3.Connection) -> tuple[str, bool]:
            stored = idempotency.recall(conn, store_id, idempotency_key, request)
            if stored is not None:  # the same request, sent twice at once
                return str(stored["deployment"]), True
            new_id = rows.insert(
                conn,
                rows.NewDeployment(
                    store_id=store_id,
                    environment=_environment(source, store),
                    source=source,
                    author=actor,
                    reason=f"Rerun of {deployment_id}",
                    steps=steps,
                    snapshot=rows.renewed_snapshot(conn, store_id, deployment_id),
                    rerun_of=deployment_id,
                ),
            )
            detail = f"deployment {new_id} reruns {deployment_id}"
            append_audit(conn, store_id, actor, [("deployment.rerun", None, detail)])
            idempotency.remember(conn, store_id, idempotency_key, request, {"deployment": new_id})
            return new_id, False

        new_id, again = await self._db.write(write)
        if not again:
            self._notifier.notify(store_id)
            self._kick(store_id)
        return await self.get(store_id, new_id)

    async def cancel(
        self, store_id: str, deployment_id: str, idempotency_key: str | None, *, actor: str
    ) -> Deployment:
        """Stop a deployment; a finished one is returned unchanged. A repeated `idempotency_key`
        records nothing again (and, like the first request, waits for a running build to stop)."""
        request = self._request("deployment.cancel", actor, [store_id, deployment_id])

        def write(conn: sqlite3.Connection) -> DeploymentStatus | None:
            if idempotency.recall(conn, store_id, idempotency_key, request) is not None:
                return None
            status = rows.load(conn, store_id, deployment_id).status
            if status.finished:
                return status
            if status is DeploymentStatus.QUEUED or deployment_id not in self._cancels:
                # Not running here: nothing to stop, so it ends now.
                rows.set_status(conn, store_id, deployment_id, DeploymentStatus.CANCELED)
            detail = f"deployment {deployment_id}"
            append_audit(conn, store_id, actor, [("deployment.cancel", None, detail)])
            result = {"deployment": deployment_id}
            idempotency.remember(conn, store_id, idempotency_key, request, result)
            return status

        before = await self._db.write(write)
        stopping = self._cancels.get(deployment_id)
        if stopping is not None and (
            before is DeploymentStatus.IN_PROGRESS or (before is None and stopping.is_set())
        ):
            stopping.set()
            await self._finished[deployment_id].wait()
        if before is not None:
            self._notifier.notify(store_id)
        return await self.get(store_id, deployment_id)

    def _request(self, operation: str, actor: str, material: object) -> str:
        return idempotency.digest(self._cipher, operation, actor, material)

    async def _replayed(
        self, store_id: str, idempotency_key: str | None, request: str
    ) -> Deployment | None:
        """The deployment an earlier request with this key answered, before any other work (a
        git read, the build steps) is done again; None when there was none."""
        if idempotency_key is None:
            return None
        stored = await self._db.read(
            lambda conn: idempotency.recall(conn, store_id, idempotency_key, request)
        )
        return None if stored is None else await self.get(store_id, str(stored["deployment"]))

    # -- reads ------------------------------------------------------------------------------------

    async def get(self, store_id: str, deployment_id: str) -> Deployment:
        def read(conn: sqlite3.Connection) -> Deployment:
            get_store(conn, store_id)
            return rows.load(conn, store_id, deployment_id)

        return self._with_live_counts(await self._db.read(read))

    async def page(self, store_id: str, query: DeploymentQuery) -> DeploymentPage:
        def read(conn: sqlite3.Connection) -> DeploymentPage:
            get_store(conn, store_id)
            return rows.page(conn, store_id, query)

        found = await self._db.read(read)
        items = tuple(self._with_live_counts(item) for item in found.items)
        return DeploymentPage(items, found.total, found.offset, found.limit)

    async def follow(
        self, store_id: str, deployment_id: str, step: str, offset: int
    ) -> AsyncIterator[LogLine]:
        deployment = await self.get(store_id, deployment_id)
        names = [s.name for s in deployment.steps]
        if step not in names:
            raise NotFoundError(f"Deployment {deployment_id} has no step named {step!r}.")
        position = names.index(step)
        next_offset = max(0, offset)
        while True:
            live = self._logs.live(deployment_id, step)
            if live is not None:
                async for line in _follow_live(live, self._logs, next_offset):
                    next_offset = line.offset + 1
                    yield line
                continue  # finished: anything left is in the file
            for line in await self._logs.read(store_id, deployment_id, position, step, next_offset):
                next_offset = line.offset + 1
                yield line
            state = (await self.get(store_id, deployment_id)).steps[position]
            if state.status.finished and self._logs.live(deployment_id, step) is None:
                for line in await self._logs.read(
                    store_id, deployment_id, position, step, next_offset
                ):
                    yield line
                return
            await self._logs.wait(f"log:{deployment_id}:{step}", _LOG_POLL_SECONDS)

    # -- the worker -------------------------------------------------------------------------------

    def _kick(self, store_id: str) -> None:
        if self._closing:
            return
        self._wanted.add(store_id)
        worker = self._workers.get(store_id)
        if worker is None or worker.done():
            self._workers[store_id] = asyncio.get_running_loop().create_task(
                self._work(store_id), name=f"deployments of {store_id}"
            )

    async def _work(self, store_id: str) -> None:
        while not self._closing:
            self._wanted.discard(store_id)
            deployment_id = await self._db.read(lambda conn: rows.queued(conn, store_id))
            if deployment_id is None:
                if store_id in self._wanted:
                    continue
                return  # no await between the check and here: a kick cannot be lost
            self._cancels[deployment_id] = asyncio.Event()
            self._finished[deployment_id] = asyncio.Event()
            try:
                await self._run(store_id, deployment_id)
            except Exception:
                _log.exception("Deployment %s stopped on an internal error", deployment_id)
                await self._db.write(
                    partial(
                        rows.set_status,
                        store_id=store_id,
                        deployment_id=deployment_id,
                        status=DeploymentStatus.FAILED,
                        error=_INTERNAL_ERROR,
                    )
                )
                self._notifier.notify(store_id)
            finally:
                self._cancels.pop(deployment_id)
                self._finished.pop(deployment_id).set()

    async def _run(self, store_id: str, deployment_id: str) -> None:
        build = await self._db.write(lambda conn: self._start(conn, store_id, deployment_id))
        if build is None:
            return  # canceled while queued
        self._notifier.notify(store_id)
        folder = Path(build.store.config.folder)
        # Once per deployment, off the loop: compiling every form of many secrets takes a while.
        mask = await asyncio.to_thread(LineMask, [build.values[k] for k in build.secret_keys])
        status, error = DeploymentStatus.SUCCESS, ""
        if not build.store.config.folder or not await asyncio.to_thread(folder.is_dir):
            status = DeploymentStatus.FAILED
            error = "The store's folder does not exist; choose it in the store settings."
        for position, step in enumerate(build.steps if not error else ()):
            cancel = self._cancels[deployment_id]
            result = await self._run_step(
                store_id=store_id,
                deployment_id=deployment_id,
                position=position,
                step=step,
                build=build,
                cancel=cancel,
                mask=mask,
            )
            if result.canceled:
                status = DeploymentStatus.CANCELED
                break
            if not result.ok and not step.optional:
                status, error = DeploymentStatus.FAILED, f"{step.name}: {result.error}"
                break
        await self._db.write(
            lambda conn: rows.set_status(conn, store_id, deployment_id, status, error)
        )
        self._notifier.notify(store_id)

    def _start(self, conn: sqlite3.Connection, store_id: str, deployment_id: str) -> _Build | None:
        deployment = rows.load(conn, store_id, deployment_id)
        if deployment.status is not DeploymentStatus.QUEUED:
            return None
        rows.set_status(conn, store_id, deployment_id, DeploymentStatus.IN_PROGRESS)
        values: dict[str, str] = {}
        secret_keys: set[str] = set()
        for key, version, type_, sealed in rows.sealed_snapshot(conn, store_id, deployment_id):
            values[key] = self._cipher.open(store_id, key, version, sealed)
            if type_ is EntryType.SECRET:
                secret_keys.add(key)
        return _Build(
            store=get_store(conn, store_id),
            steps=tuple(rows.steps_of(conn, deployment_id)),
            values=values,
            secret_keys=frozenset(secret_keys),
        )

    async def _run_step(
        self,
        *,
        store_id: str,
        deployment_id: str,
        position: int,
        step: BuildStep,
        build: _Build,
        cancel: asyncio.Event,
        mask: LineMask,
    ) -> StepResult:
        await self._db.write(
            lambda conn: rows.set_step(
                conn, store_id, deployment_id, position, DeploymentStatus.IN_PROGRESS
            )
        )
        self._notifier.notify(store_id)
        log = self._logs.start(store_id, deployment_id, position, step.name)
        try:
            result = await self._tools.run_step(
                step,
                store_dir=Path(build.store.config.folder),
                env=self._tools.build_environment(build.values),
                # The scan leaves public keys out itself; their values excuse what they contain.
                scan_values=build.values,
                client_output=build.store.config.client_output,
                on_line=log.append,
                cancel=cancel,
                mask=mask,
            )
        except Exception as error:  # a runner failure fails the step, not the worker
            result = StepResult(ok=False, error=f"The step could not run ({type(error).__name__}).")
            log.append("system", result.error)
        finally:
            self._logs.finish(log, deployment_id, step.name)
        status = (
            DeploymentStatus.CANCELED
            if result.canceled
            else DeploymentStatus.SUCCESS
            if result.ok
            else DeploymentStatus.FAILED
        )
        await self._db.write(
            lambda conn: rows.set_step(
                conn,
                store_id,
                deployment_id,
                position,
                status,
                log_lines=len(log.lines),
                error=result.error,
            )
        )
        self._notifier.notify(store_id)
        return result

    # -- helpers ----------------------------------------------------------------------------------

    def _steps_for(self, store: Store) -> tuple[BuildStep, ...]:
        """The configured steps, else the defaults for the folder (blocking: looks at files)."""
        return store.config.build_steps or self._tools.default_steps(Path(store.config.folder))

    def _with_live_counts(self, deployment: Deployment) -> Deployment:
        """A running step's line count comes from its live log, which is ahead of the row."""
        steps = tuple(
            replace(state, log_lines=len(live.lines))
            if (live := self._logs.live(deployment.id, state.name)) is not None
            else state
            for state in deployment.steps
        )
        return replace(deployment, steps=steps)


async def _follow_live(live: StepLog, logs: LogStore, offset: int) -> AsyncIterator[LogLine]:
    while True:
        while offset < len(live.lines):
            yield live.lines[offset]
            offset += 1
        if live.finished:
            return
        await logs.wait(live.topic, _LOG_POLL_SECONDS)


def _environment(source: Source, store: Store) -> Environment:
    is_production = source.branch and source.branch == store.config.production_branch
    return Environment.PRODUCTION if is_production else Environment.PREVIEW
