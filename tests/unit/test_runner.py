"""The deploy runner: real subprocesses, a clean environment, live lines, cancel, leak scan."""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from async_support import wait_until

from faststore_desktop.webops.local import runner
from faststore_desktop.webops.local.masking import MASK, LineMask
from faststore_desktop.webops.local.runner import (
    LEAK_SCAN,
    PACKAGE_BUILD,
    PYTHON,
    StepResult,
    build_environment,
    default_steps,
    python_command,
    run_step,
)
from faststore_desktop.webops.models import BuildStep

CANARY = "canary-5f0c1e9a-secret-value"
CANARY_KEY = "FS_DISCOVERY_APP_TOKEN"
LINUX_PROC = pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")


class Log:
    """Collects (stream, text) lines as the runner hands them over."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, str]] = []

    def __call__(self, stream: str, text: str) -> None:
        self.lines.append((stream, text))

    def texts(self, stream: str | None = None) -> list[str]:
        return [text for s, text in self.lines if stream in (None, s)]

    def has(self, fragment: str) -> bool:
        return any(fragment in text for text in self.texts())


def script(store: Path, name: str, body: str) -> BuildStep:
    (store / name).write_text(textwrap.dedent(body), encoding="utf-8")
    return BuildStep("Build", (PYTHON, name))


async def run(
    step: BuildStep,
    store: Path,
    log: Log,
    entries: Mapping[str, str] | None = None,
    *,
    cancel: asyncio.Event | None = None,
    client_output: Sequence[str] = (),
) -> StepResult:
    entries = dict(entries or {})
    return await run_step(
        step,
        store_dir=store,
        env=build_environment(entries),
        scan_values=entries,
        client_output=client_output,
        on_line=log,
        cancel=cancel or asyncio.Event(),
    )


def proc_file(pid: int, name: str) -> bytes:
    return Path(f"/proc/{pid}/{name}").read_bytes()


def command_lines_holding(needle: bytes) -> list[str]:
    """Every process of the machine whose command line contains `needle`."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if needle in cmdline.read_bytes():
                found.append(cmdline.parent.name)
        except OSError:  # the process ended meanwhile
            continue
    return found


def is_gone(pid: int) -> bool:
    """True when the process no longer runs (a zombie waiting for its reaper counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


WAIT_FOR_GO = """
import os, pathlib, sys, time
print(f"pid {os.getpid()}", flush=True)
while not pathlib.Path("go").exists():
    time.sleep(0.01)
"""


@LINUX_PROC
@pytest.mark.asyncio
async def test_a_build_sees_the_secret_in_its_environment_never_on_its_command_line(
    tmp_path: Path,
) -> None:
    step = script(
        tmp_path,
        "build.py",
        WAIT_FOR_GO
        + """
value = os.environ["FS_DISCOVERY_APP_TOKEN"]
print("token is set" if value else "token is empty")
print(f"careless build prints the token: {value}")
""",
    )
    log = Log()
    task = asyncio.create_task(run(step, tmp_path, log, {CANARY_KEY: CANARY}))
    # The first line arrives while the child is still running: lines stream live.
    await wait_until(
        lambda: any(t.startswith("pid ") for t in log.texts("stdout")), 30, "the pid line"
    )
    pid = int(next(t for t in log.texts("stdout") if t.startswith("pid "))[4:])
    assert CANARY.encode() not in proc_file(pid, "cmdline")
    assert not command_lines_holding(CANARY.encode())
    assert f"{CANARY_KEY}={CANARY}".encode() in proc_file(pid, "environ").split(b"\0")
    (tmp_path / "go").touch()
    result = await task
    assert result == StepResult(ok=True)
    assert "token is set" in log.texts("stdout")
    assert f"careless build prints the token: {MASK}" in log.texts("stdout")
    assert not log.has(CANARY)


@pytest.mark.asyncio
async def test_the_environment_is_clean_plus_the_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FSD_ONLY_IN_THE_APP", "x")
    monkeypatch.setenv("LC_TIME", "C")
    step = script(tmp_path, "env.py", "import os\nprint(' '.join(sorted(os.environ)))\n")
    log = Log()
    result = await run(step, tmp_path, log, {"VTEX_ACCOUNT": "storeframework", "CI": "1"})
    assert result.ok
    names = set(log.texts("stdout")[0].split())
    assert {"PATH", "HOME", "LC_TIME", "VTEX_ACCOUNT", "CI", "PYTHONUNBUFFERED"} <= names
    assert "FSD_ONLY_IN_THE_APP" not in names
    assert build_environment({"CI": "1"})["CI"] == "1"  # an entry wins over a default


@pytest.mark.asyncio
async def test_stdout_and_stderr_are_read_together_whatever_the_lines(tmp_path: Path) -> None:
    step = script(
        tmp_path,
        "noisy.py",
        """
        import sys
        for n in range(5000):
            print(f"warning {n:05} " + "w" * 60, file=sys.stderr)
        for n in range(5000):
            print(f"info {n:05} " + "i" * 60)
        print("x" * 1_000_000)
        sys.stdout.flush()
        sys.stdout.buffer.write(b"bad \\xff\\xfe bytes\\r\\nno newline at the end")
        """,
    )
    log = Log()
    assert (await run(step, tmp_path, log)).ok
    out, err = log.texts("stdout"), log.texts("stderr")
    assert len(err) == 5000 and err[-1].startswith("warning 04999")
    assert len(out) == 5003 and out[5000] == "x" * 1_000_000
    assert out[5001:] == ["bad \ufffd\ufffd bytes", "no newline at the end"]


@pytest.mark.asyncio
async def test_a_failing_build_says_how_it_ended(tmp_path: Path) -> None:
    log = Log()
    result = await run(script(tmp_path, "fail.py", "raise SystemExit(3)\n"), tmp_path, log)
    assert result == StepResult(ok=False, error="Build exited with code 3")
    assert "Exited with code 3" in log.texts("system")

    killed = script(tmp_path, "die.py", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n")
    result = await run(killed, tmp_path, Log())
    assert result.error == "Build was stopped by signal SIGKILL"


@pytest.mark.asyncio
async def test_a_missing_program_is_a_clear_failure(tmp_path: Path) -> None:
    log = Log()
    step = BuildStep("Install dependencies", ("no-such-tool-4d2", "install"))
    result = await run(step, tmp_path, log)
    assert not result.ok and not result.canceled
    assert result.error == (
        "no-such-tool-4d2 not found: install it, or change this store's build steps."
    )
    assert log.texts("system") == [result.error]


@LINUX_PROC
@pytest.mark.asyncio
async def test_cancel_stops_the_build_and_everything_it_started(tmp_path: Path) -> None:
    step = script(
        tmp_path,
        "slow.py",
        """
        import os, subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        print(os.getpid(), child.pid, flush=True)
        time.sleep(600)
        """,
    )
    log, cancel = Log(), asyncio.Event()
    task = asyncio.create_task(run(step, tmp_path, log, cancel=cancel))
    await wait_until(lambda: bool(log.texts("stdout")), 30, "the pids")
    pids = [int(p) for p in log.texts("stdout")[0].split()]
    cancel.set()
    assert await task == StepResult(ok=False, error="Canceled", canceled=True)
    await wait_until(lambda: all(is_gone(pid) for pid in pids), 30, "every process to be gone")
    assert "Canceling: stopping the build" in log.texts("system")


@LINUX_PROC
@pytest.mark.asyncio
async def test_a_build_that_ignores_terminate_is_killed_after_the_grace_period(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "TERMINATE_GRACE_SECONDS", 0.3)
    step = script(
        tmp_path,
        "stubborn.py",
        """
        import os, signal, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print(os.getpid(), flush=True)
        time.sleep(600)
        """,
    )
    log, cancel = Log(), asyncio.Event()
    task = asyncio.create_task(run(step, tmp_path, log, cancel=cancel))
    await wait_until(lambda: bool(log.texts("stdout")), 30, "the pid")
    cancel.set()
    assert (await task).canceled
    assert is_gone(int(log.texts("stdout")[0]))
    assert log.has("killing it")


@LINUX_PROC
@pytest.mark.asyncio
async def test_cancelling_the_task_running_a_step_kills_its_process(tmp_path: Path) -> None:
    step = script(
        tmp_path, "slow.py", "import os, time\nprint(os.getpid(), flush=True)\ntime.sleep(600)\n"
    )
    log = Log()
    task = asyncio.create_task(run(step, tmp_path, log))
    await wait_until(lambda: bool(log.texts("stdout")), 30, "the pid")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert is_gone(int(log.texts("stdout")[0]))


@pytest.mark.asyncio
async def test_a_step_canceled_before_it_starts_runs_nothing(tmp_path: Path) -> None:
    cancel, log = asyncio.Event(), Log()
    cancel.set()
    step = script(tmp_path, "touch.py", "open('ran', 'w').close()\n")
    assert (await run(step, tmp_path, log, cancel=cancel)).canceled
    assert not (tmp_path / "ran").exists() and log.lines == []


def test_python_steps_use_the_apps_own_interpreter(monkeypatch: pytest.MonkeyPatch) -> None:
    assert python_command(["build.py", "--prod"]) == [sys.executable, "build.py", "--prod"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert python_command(["build.py"]) == [sys.executable, "run-script", "build.py"]


def test_run_script_runs_a_script_as_main_with_its_folder_importable(tmp_path: Path) -> None:
    (tmp_path / "helper.py").write_text("GREETING = 'hello from helper'\n")
    (tmp_path / "main.py").write_text(
        "import sys, helper\nprint(__name__, sys.argv[1:], helper.GREETING)\nsys.exit(5)\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "faststore_desktop", "run-script", "main.py", "--fast"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 5
    assert done.stdout == "__main__ ['--fast'] hello from helper\n"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("manifest", "error"),
    [
        (None, "There is no package.json in the store folder"),
        ({"scripts": {"dev": "next dev"}}, 'package.json has no "build" script'),
        ("{not json", "package.json is not valid JSON (line 1)"),
        ('["a list"]', 'package.json has no "build" script'),
    ],
)
async def test_package_build_without_a_build_script_fails_clearly(
    tmp_path: Path, manifest: object, error: str
) -> None:
    if manifest is not None:
        text = manifest if isinstance(manifest, str) else json.dumps(manifest)
        (tmp_path / "package.json").write_text(text)
    result = await run(BuildStep("Build", (PACKAGE_BUILD,)), tmp_path, Log())
    assert not result.ok and result.error.startswith(error)


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
@pytest.mark.asyncio
async def test_package_build_runs_the_build_script_with_npm(tmp_path: Path) -> None:
    build = (
        "node -e \"console.log(process.env.FS_DISCOVERY_APP_TOKEN ? 'token seen' : 'no token')\""
    )
    (tmp_path / "package.json").write_text(json.dumps({"name": "s", "scripts": {"build": build}}))
    log = Log()
    result = await run(BuildStep("Build", (PACKAGE_BUILD,)), tmp_path, log, {CANARY_KEY: CANARY})
    assert result.ok, log.lines
    assert "token seen" in log.texts("stdout")
    assert log.texts("system")[0].endswith("npm run build")


def test_default_steps_install_only_with_a_lockfile(tmp_path: Path) -> None:
    names = [step.name for step in default_steps(tmp_path)]
    assert names == ["Build", "Leak scan"]
    (tmp_path / "package.json").write_text("{}")
    (tmp_path / "package-lock.json").write_text("{}")
    install, build, scan = default_steps(tmp_path)
    assert install.command[:2] == ("npm", "ci") and install.optional
    assert build.command == (PACKAGE_BUILD,) and scan.command == (LEAK_SCAN,)


# -- leak scan step ---------------------------------------------------------------------------


def client_file(store: Path, name: str, content: str) -> None:
    path = store / ".next" / "static" / "chunks" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)


@pytest.mark.asyncio
async def test_the_leak_scan_fails_naming_key_and_file_never_the_value(tmp_path: Path) -> None:
    blob = base64.b64encode(f'{{"token":"{CANARY}"}}'.encode()).decode()
    client_file(tmp_path, "app-1a2b.js", f'console.log("ok");\nvar c="{blob}";\n')
    client_file(tmp_path, "main-3c4d.js", 'var u="https://storeframework.vtex.app";\n')
    entries = {
        CANARY_KEY: CANARY,
        "NEXT_PUBLIC_STORE_URL": "https://storeframework.vtex.app",
        "VTEX_ACCOUNT": "storeframework",
    }
    log = Log()
    step = BuildStep("Leak scan", (LEAK_SCAN,))
    result = await run(step, tmp_path, log, entries, client_output=(".next/static",))
    assert not result.ok
    assert CANARY_KEY in result.error and ".next/static/chunks/app-1a2b.js" in result.error
    assert "VTEX_ACCOUNT" not in result.error
    assert log.texts("stderr") == [
        f"{CANARY_KEY} found in .next/static/chunks/app-1a2b.js line 2 (base64)"
    ]
    assert not log.has(CANARY) and CANARY not in result.error


@pytest.mark.asyncio
async def test_the_leak_scan_passes_a_clean_bundle_and_says_what_it_skipped(
    tmp_path: Path,
) -> None:
    client_file(tmp_path, "main.js", 'var u="https://storeframework.vtex.app",d=true;\n')
    entries = {"NEXT_PUBLIC_STORE_URL": "https://storeframework.vtex.app", "DEBUG": "true"}
    log = Log()
    step = BuildStep("Leak scan", (LEAK_SCAN,))
    assert (await run(step, tmp_path, log, entries, client_output=(".next/static",))).ok
    assert "DEBUG: not scanned, its value is shorter than 8 characters" in log.texts("system")


@pytest.mark.asyncio
async def test_the_leak_scan_without_client_output(tmp_path: Path) -> None:
    step = BuildStep("Leak scan", (LEAK_SCAN,))
    missing = await run(step, tmp_path, Log(), client_output=(".next/static",))
    assert not missing.ok and missing.error.startswith("Nothing to scan: .next/static")
    assert (await run(step, tmp_path, Log(), client_output=())).ok


@pytest.mark.asyncio
async def test_nothing_of_the_entries_reaches_the_system_lines(tmp_path: Path) -> None:
    """The command echoed in the log holds the argv only; values travel in the environment."""
    log = Log()
    step = script(tmp_path, "ok.py", "print('done')\n")
    assert (await run(step, tmp_path, log, {CANARY_KEY: CANARY})).ok
    assert log.texts("system") == [f"$ {sys.executable} ok.py", "Exited with code 0"]


@pytest.mark.asyncio
async def test_a_missing_python_script_is_a_clear_failure(tmp_path: Path) -> None:
    result = await run(BuildStep("Build", (PYTHON, "build.py")), tmp_path, Log())
    assert result == StepResult(ok=False, error="build.py not found in the store folder.")


@pytest.mark.asyncio
async def test_the_mask_given_chooses_what_is_masked(tmp_path: Path) -> None:
    step = script(tmp_path, "p.py", "import os\nprint(os.environ['A'], os.environ['B'])\n")
    entries = {"A": "visible-text-value", "B": CANARY}
    log = Log()
    result = await run_step(
        step,
        store_dir=tmp_path,
        env=build_environment(entries),
        scan_values=entries,
        client_output=(),
        on_line=log,
        cancel=asyncio.Event(),
        mask=LineMask([CANARY]),
    )
    assert result.ok
    assert f"visible-text-value {MASK}" in log.texts("stdout")


@pytest.mark.asyncio
async def test_a_value_leaked_on_every_line_is_reported_then_counted(tmp_path: Path) -> None:
    client_file(tmp_path, "big.js", f'x("{CANARY}");\n' * 120)
    log = Log()
    step = BuildStep("Leak scan", (LEAK_SCAN,))
    result = await run(step, tmp_path, log, {CANARY_KEY: CANARY}, client_output=(".next/static",))
    assert not result.ok
    reported = log.texts("stderr")
    assert len(reported) == runner.MAX_LOGGED_FINDINGS + 1
    assert reported[-1] == f"… and {120 - runner.MAX_LOGGED_FINDINGS} more findings"
