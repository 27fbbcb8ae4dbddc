"""Running `faststore-desktop serve` as a child process on a free loopback port.

For tests and the benchmark harness: a separate process keeps the server's threads away from a
Qt event loop, and can be killed and restarted like a real deployment. Its log goes to a file.
"""

from __future__ import annotations

import base64
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from faststore_desktop.webops.server.datakey import KEY_ENV

START_TIMEOUT = 30.0
_LISTENING = re.compile(r"running on (https?://\S+)")


def program() -> list[str]:
    """The command that runs this application (the packaged binary is its own interpreter)."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "faststore_desktop"]


class ServerProcess:
    def __init__(
        self,
        data_dir: Path,
        data_key: bytes,
        log_path: Path,
        *,
        port: int = 0,
        options: tuple[str, ...] = (),
    ) -> None:
        self.data_dir = data_dir
        self.log_path = log_path
        self.port = port
        self.base_url = ""
        self._options = options
        self._env = {**os.environ, KEY_ENV: base64.b64encode(data_key).decode("ascii")}
        self._process: subprocess.Popen[bytes] | None = None

    def __repr__(self) -> str:  # the key in the environment stays out of reprs
        return f"ServerProcess({self.base_url or 'not started'})"

    def start(self) -> ServerProcess:
        """Start the server and wait until it listens; a restart keeps the port."""
        command = [
            *program(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--data-dir",
            str(self.data_dir),
            *self._options,
        ]
        with self.log_path.open("ab") as log:
            start_offset = log.tell()
            self._process = subprocess.Popen(
                command, env=self._env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            match = _LISTENING.search(self._log_from(start_offset))
            if match:
                self.base_url = match.group(1)
                self.port = int(self.base_url.rsplit(":", 1)[1])
                return self
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"the API server did not start; see {self.log_path}")
            time.sleep(0.02)

    def stop(self) -> None:
        """Ask the server to shut down gracefully; kill it if it does not."""
        if self._process is None:
            return
        self._process.send_signal(signal.SIGTERM)
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self.kill()
        self._process = None

    def kill(self) -> None:
        """SIGKILL: the server dies at once, mid-request if need be."""
        if self._process is None:
            return
        self._process.kill()
        self._process.wait()
        self._process = None

    def log_text(self) -> str:
        return self._log_from(0)

    def _log_from(self, offset: int) -> str:
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return log.read().decode("utf-8", "replace")
