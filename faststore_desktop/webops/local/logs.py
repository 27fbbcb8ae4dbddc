"""Deploy step logs: one JSON-lines file per step under the data folder, plus live followers.

A running step's lines are also kept in memory so followers get them as they arrive; once the
step ends, followers read the file. Lines reach these files already masked by the runner (the
values of secrets never appear); a line cut short by a crash is skipped when read back.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import TextIO

from faststore_desktop.webops.local.notifier import Notifier
from faststore_desktop.webops.local.timestamps import from_db, now, to_db
from faststore_desktop.webops.models import LogLine


class StepLog:
    """The log of one step while it runs: appended to its file and held for live followers.

    Lines are written from the event loop on purpose: a line-buffered append to a local file ends
    in the page cache (nothing is fsynced), far cheaper than a thread hop for every line a build
    prints; the line buffering is what makes printed lines survive a crash of the app.
    """

    def __init__(self, path: Path, deployment_id: str, step: str, notifier: Notifier) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Line-buffered, so what a build printed survives a crash of the app.
        self._file: TextIO = path.open("a", encoding="utf-8", buffering=1)
        self._deployment_id = deployment_id
        self._step = step
        self._notifier = notifier
        self.topic = f"log:{deployment_id}:{step}"
        self.lines: list[LogLine] = []
        self.finished = False

    def append(self, stream: str, text: str) -> None:
        line = LogLine(
            deployment_id=self._deployment_id,
            step=self._step,
            offset=len(self.lines),
            text=text,
            at=now(),
            stream=stream,
        )
        self._file.write(_encode(line) + "\n")
        self.lines.append(line)
        self._notifier.notify(self.topic)

    def finish(self) -> None:
        self.finished = True
        self._file.close()
        self._notifier.notify(self.topic)


class LogStore:
    """Where step logs live, and which of them are being written right now."""

    def __init__(self, root: Path, notifier: Notifier) -> None:
        self._root = root
        self._notifier = notifier
        self._live: dict[tuple[str, str], StepLog] = {}

    def path(self, store_id: str, deployment_id: str, position: int) -> Path:
        return self._root / store_id / deployment_id / f"step-{position}.jsonl"

    def start(self, store_id: str, deployment_id: str, position: int, step: str) -> StepLog:
        log = StepLog(
            self.path(store_id, deployment_id, position), deployment_id, step, self._notifier
        )
        self._live[(deployment_id, step)] = log
        self._notifier.notify(log.topic)  # followers waiting for the step to start
        return log

    def finish(self, log: StepLog, deployment_id: str, step: str) -> None:
        log.finish()
        self._live.pop((deployment_id, step), None)

    def live(self, deployment_id: str, step: str) -> StepLog | None:
        return self._live.get((deployment_id, step))

    async def wait(self, topic: str, poll_seconds: float) -> None:
        await self._notifier.wait(topic, poll_seconds)

    async def read(
        self, store_id: str, deployment_id: str, position: int, step: str, offset: int
    ) -> list[LogLine]:
        """The stored lines of a step from `offset` on (read off the event loop)."""
        path = self.path(store_id, deployment_id, position)
        return await asyncio.to_thread(_read_lines, path, deployment_id, step, offset)


def count_lines(path: Path) -> int:
    return len(_read_lines(path, "", "", 0))


def append_system_line(path: Path, text: str) -> None:
    """Add a line the app itself writes (e.g. why a step ended) to a step's stored log."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = LogLine(deployment_id="", step="", offset=0, text=text, at=now(), stream="system")
    with path.open("a", encoding="utf-8") as file:
        file.write("\n" + _encode(line) + "\n")


def _encode(line: LogLine) -> str:
    return json.dumps({"at": to_db(line.at), "stream": line.stream, "text": line.text})


def _read_lines(path: Path, deployment_id: str, step: str, offset: int) -> list[LogLine]:
    if not path.exists():
        return []
    lines: list[LogLine] = []
    with path.open(encoding="utf-8", errors="replace") as file:
        for raw in file:
            try:
                record = json.loads(raw)
            except ValueError:
                continue  # empty, or cut short by a crash
            index = len(lines)
            lines.append(
                LogLine(
                    deployment_id=deployment_id,
                    step=step,
                    offset=index,
                    text=record["text"],
                    at=from_db(record["at"]),
                    stream=record["stream"],
                )
            )
    return lines[offset:]
