"""Cold start to the first painted main window, and idle memory, against a bare PySide6 window.

Each start is a fresh interpreter (same executable for both); the clock starts just before the
process is spawned. "Cold" means a new process: the OS file cache is warm after the discarded
warm-up pair, as it is for a user who started the app before. The app's keyring is
benchmarks.process_keyring, which keyring loads (through PYTHON_KEYRING_BACKEND) when the app
first asks for the data key, as it would load the system's.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.alternate import alternate
from benchmarks.plan import Plan
from benchmarks.report import AtMostTimesBaseline, Row, compared
from benchmarks.startup_probe import DATA_KEY_ENV, ENTRIES_ENV, IDLE_MS_ENV

REPO = Path(__file__).resolve().parent.parent
CHILD_TIMEOUT = 90.0
IDLE_MS = 1000


def run(plan: Plan) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="fsd-bench-start-") as root:
        env = _environment(Path(root), plan.start_entries)
        _child("seed", env)
        _child("app", env), _child("bare", env)  # warm-up: caches, first-run settings
        apps, bares = alternate(
            lambda: _child("app", env), lambda: _child("bare", env), plan.start_pairs
        )
    entries = plan.start_entries
    return [
        compared(
            f"cold start to first painted window ({entries} entries)",
            "ms",
            [app["painted"] for app in apps],
            "bare window",
            [bare["painted"] for bare in bares],
            AtMostTimesBaseline(1.3),
        ),
        compared(
            "idle memory after start (RSS)",
            "MiB",
            [app["rss_mib"] for app in apps],
            "bare window",
            [bare["rss_mib"] for bare in bares],
            AtMostTimesBaseline(1.3),
            note=f"read {IDLE_MS} ms after the window shows its data",
        ),
        Row(
            f"first paint to {entries} entries shown",
            "ms",
            samples=tuple(app["ready"] - app["painted"] for app in apps),
            note="the store opens after the window is shown (keyring, SQLite, first query)",
        ),
    ]


def _environment(root: Path, entries: int) -> dict[str, str]:
    """A private home for the child: its settings and data never touch the user's."""
    env = dict(os.environ)
    for name, folder in {
        "HOME": "home",
        "XDG_CONFIG_HOME": "config",
        "XDG_DATA_HOME": "data",
        "XDG_CACHE_HOME": "cache",
        "XDG_STATE_HOME": "state",
    }.items():
        (root / folder).mkdir()
        env[name] = str(root / folder)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # An installed app starts from compiled bytecode: let the warm-up pair write it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env[DATA_KEY_ENV] = base64.b64encode(secrets.token_bytes(32)).decode("ascii")
    env["PYTHON_KEYRING_BACKEND"] = "benchmarks.process_keyring.ProcessKeyring"
    env[ENTRIES_ENV] = str(entries)
    env[IDLE_MS_ENV] = str(IDLE_MS)
    return env


def _child(mode: str, env: dict[str, str]) -> dict[str, float]:
    """Run the probe in `mode`; times in ms since the spawn, memory in MiB."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.startup_probe", mode],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-5:])
        raise RuntimeError(f"the {mode} probe exited with {result.returncode}: {tail}")
    if mode == "seed":
        return {}
    marks = json.loads(result.stdout.strip().splitlines()[-1])
    return {
        "painted": (marks["painted"] - started) * 1000,
        "ready": (marks["ready"] - started) * 1000,
        "rss_mib": marks["rss_kib"] / 1024,
    }
