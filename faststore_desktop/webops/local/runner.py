"""Run one build step of a deployment in the store folder and stream its output line by line.

Entries reach a build only as environment variables, on top of a clean environment: never on a
command line (other users of the machine can read those), never inherited from the app's own
environment. Each step runs in its own process group so a cancel stops everything it started.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from faststore_desktop.cli import RUN_SCRIPT_COMMAND
from faststore_desktop.core.leakscan import (
    MIN_VALUE_LENGTH,
    LeakFinding,
    ScanTargets,
    scan_files,
    targets_for,
)
from faststore_desktop.core.validation import is_public
from faststore_desktop.webops.local.masking import LineMask
from faststore_desktop.webops.models import BuildStep

PACKAGE_BUILD = "@package-build"
LEAK_SCAN = "@leak-scan"
PYTHON = "@python"

#: How long a canceled build may take to exit after SIGTERM before it is killed.
TERMINATE_GRACE_SECONDS = 5.0
#: How long to wait for output still buffered in the pipes once the build has exited.
DRAIN_SECONDS = 5.0
#: A leaked value repeated on every line of a bundle is reported this many times, then counted.
MAX_LOGGED_FINDINGS = 50
_READ_SIZE = 64 * 1024

#: Variables a build may need from the app's environment; everything else stays out.
_PASSED_THROUGH = (
    # every system
    "PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TMP", "TEMP",
    # package managers behind a corporate proxy or TLS inspection
    "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
    "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR",
    # Windows: programs fail in odd ways without these
    "SYSTEMROOT", "SYSTEMDRIVE", "WINDIR", "COMSPEC", "PATHEXT", "USERPROFILE", "USERNAME",
    "APPDATA", "LOCALAPPDATA", "PROGRAMDATA", "PROGRAMFILES", "PROGRAMFILES(X86)",
    "HOMEDRIVE", "HOMEPATH", "NUMBER_OF_PROCESSORS", "PROCESSOR_ARCHITECTURE",
)  # fmt: skip
#: Set for every build, as a hosted build would see them.
_BUILD_DEFAULTS = {"CI": "true"}
#: Python steps: output reaches the log as it is printed, in UTF-8 whatever the locale.
_PYTHON_DEFAULTS = {"PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}

#: Lockfile -> the command that installs exactly what it pins.
_INSTALLERS: dict[str, tuple[str, ...]] = {
    "package-lock.json": ("npm", "ci", "--no-audit", "--no-fund"),
    "npm-shrinkwrap.json": ("npm", "ci", "--no-audit", "--no-fund"),
    "yarn.lock": ("yarn", "install", "--frozen-lockfile"),
    "pnpm-lock.yaml": ("pnpm", "install", "--frozen-lockfile"),
}
_PACKAGE_MANAGER_BY_LOCKFILE = {
    "yarn.lock": "yarn",
    "pnpm-lock.yaml": "pnpm",
}

LineSink = Callable[[str, str], None]


@dataclass(frozen=True, slots=True)
class StepResult:
    ok: bool
    #: Why the step failed, in words a user understands (never a value).
    error: str = ""
    canceled: bool = False


class _StepFailure(Exception):
    """A step that cannot run; the message is the user-facing reason."""


def build_environment(entries: Mapping[str, str]) -> dict[str, str]:
    """A clean environment for a build: a few system variables plus the entries (which win)."""
    env = {name: os.environ[name] for name in _PASSED_THROUGH if name in os.environ}
    env.update((name, value) for name, value in os.environ.items() if name.startswith("LC_"))
    env.update(_BUILD_DEFAULTS)
    env.update(entries)
    return env


def default_steps(store_dir: Path) -> tuple[BuildStep, ...]:
    """Install (only when package.json and a lockfile exist), build, leak scan."""
    steps: list[BuildStep] = []
    lockfile = _lockfile(store_dir)
    if lockfile is not None and (store_dir / "package.json").is_file():
        steps.append(BuildStep("Install dependencies", _INSTALLERS[lockfile], optional=True))
    steps.append(BuildStep("Build", (PACKAGE_BUILD,)))
    steps.append(BuildStep("Leak scan", (LEAK_SCAN,)))
    return tuple(steps)


def python_command(script_and_args: Sequence[str]) -> list[str]:
    """The app's own interpreter running a script; a frozen app runs it through itself."""
    if getattr(sys, "frozen", False):
        return [sys.executable, RUN_SCRIPT_COMMAND, *script_and_args]
    return [sys.executable, *script_and_args]


async def run_step(
    step: BuildStep,
    *,
    store_dir: Path,
    env: Mapping[str, str],
    scan_values: Mapping[str, str],
    client_output: Sequence[str],
    on_line: LineSink,
    cancel: asyncio.Event,
    mask: LineMask | None = None,
) -> StepResult:
    """Run `step`; every line of output goes to `on_line(stream, text)` as it arrives.

    `scan_values` are the entries (key -> value) the leak scan looks for; public keys are left
    out by the scan itself, which reads the public values from `env`. `mask` hides values in the
    output lines, in every form a build may print them; a deployment builds it once for all its
    steps (from its secrets). Without one, every non-public value of `scan_values` is masked.
    """
    if cancel.is_set():
        return StepResult(ok=False, error="Canceled before it started", canceled=True)
    masker = (
        LineMask(v for k, v in scan_values.items() if not is_public(k)) if mask is None else mask
    )
    sink: LineSink = lambda stream, text: on_line(stream, masker(text))  # noqa: E731
    try:
        if step.command[:1] == (LEAK_SCAN,):
            # Public values excuse what they contain; callers may have left them out of scan_values.
            public = {k: v for k, v in env.items() if is_public(k)}
            return await _leak_scan(store_dir, {**public, **scan_values}, client_output, sink)
        # Reads package.json and searches PATH: disk work, kept off the event loop.
        argv, step_env = await asyncio.to_thread(_resolve, step, store_dir, env)
        return await _run_process(
            step.name, argv, store_dir=store_dir, env=step_env, sink=sink, cancel=cancel
        )
    except _StepFailure as failure:
        sink("system", str(failure))
        return StepResult(ok=False, error=str(failure))


# -- commands ---------------------------------------------------------------------------------


def _resolve(
    step: BuildStep, store_dir: Path, env: Mapping[str, str]
) -> tuple[list[str], Mapping[str, str]]:
    """The argv and environment a step runs with; built-in commands become real ones."""
    command = list(step.command)
    if not command:
        raise _StepFailure(f"{step.name} has no command; set one in the store's build steps.")
    if command[0] == PACKAGE_BUILD:
        command = _package_build_command(store_dir)
    elif command[0] == PYTHON:
        if len(command) < 2:
            raise _StepFailure(f"{step.name} names no Python script to run.")
        if not (store_dir / command[1]).is_file():
            raise _StepFailure(f"{command[1]} not found in the store folder.")
        return python_command(command[1:]), {**env, **_PYTHON_DEFAULTS}
    return [_find_program(command[0], store_dir, env), *command[1:]], env


def _package_build_command(store_dir: Path) -> list[str]:
    manifest = store_dir / "package.json"
    if not manifest.is_file():
        raise _StepFailure(
            "There is no package.json in the store folder: set a build command for this store."
        )
    try:
        package = json.loads(manifest.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _StepFailure(f"package.json could not be read: {exc.strerror}.") from None
    except json.JSONDecodeError as exc:
        raise _StepFailure(f"package.json is not valid JSON (line {exc.lineno}).") from None
    except UnicodeDecodeError:
        raise _StepFailure("package.json is not UTF-8 text.") from None
    scripts = package.get("scripts") if isinstance(package, dict) else None
    if not isinstance(scripts, dict) or not scripts.get("build"):
        raise _StepFailure(
            'package.json has no "build" script: add one, or set a build command for this store.'
        )
    lockfile = _lockfile(store_dir)
    manager = _PACKAGE_MANAGER_BY_LOCKFILE.get(lockfile or "", "npm")
    return [manager, "run", "build"]


def _lockfile(store_dir: Path) -> str | None:
    return next((name for name in _INSTALLERS if (store_dir / name).is_file()), None)


def _find_program(program: str, store_dir: Path, env: Mapping[str, str]) -> str:
    """The program's full path, looked up on the build's PATH (or in the store folder)."""
    if os.sep in program or "/" in program:
        candidate = store_dir / program
        found = str(candidate) if os.access(candidate, os.X_OK) else None
    else:
        found = shutil.which(program, path=env.get("PATH", os.defpath))
    if found is None:
        raise _StepFailure(f"{program} not found: install it, or change this store's build steps.")
    return found


# -- processes --------------------------------------------------------------------------------


async def _run_process(
    name: str,
    argv: list[str],
    *,
    store_dir: Path,
    env: Mapping[str, str],
    sink: LineSink,
    cancel: asyncio.Event,
) -> StepResult:
    sink("system", f"$ {shlex.join(argv)}")
    try:
        process = await asyncio.create_subprocess_exec(
            *argv,
            cwd=store_dir,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=sys.platform != "win32",
            creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0),
        )
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "invalid input"
        raise _StepFailure(f"{name} could not start: {reason}.") from None
    assert process.stdout is not None and process.stderr is not None
    pumps = [
        asyncio.create_task(_pump(process.stdout, "stdout", sink)),
        asyncio.create_task(_pump(process.stderr, "stderr", sink)),
    ]
    canceled = False
    try:
        canceled = await _wait_or_cancel(process, cancel, sink)
    finally:
        # Nothing a step started may outlive it, even when the step itself is cancelled.
        # (On Windows this runs taskkill and waits for it: a thread, not the event loop.)
        await asyncio.to_thread(_kill_group, process)
        await process.wait()
        await _drain(pumps, sink)
    code = process.returncode
    if canceled:
        return StepResult(ok=False, error="Canceled", canceled=True)
    sink("system", f"Exited with code {code}")
    if code == 0:
        return StepResult(ok=True)
    if code is not None and code < 0:
        return StepResult(ok=False, error=f"{name} was stopped by signal {_signal_name(-code)}")
    return StepResult(ok=False, error=f"{name} exited with code {code}")


async def _wait_or_cancel(
    process: asyncio.subprocess.Process, cancel: asyncio.Event, sink: LineSink
) -> bool:
    """Wait for the process to exit; on cancel stop it (politely first). True when canceled."""
    exited = asyncio.create_task(process.wait())
    cancel_asked = asyncio.create_task(cancel.wait())
    try:
        await asyncio.wait({exited, cancel_asked}, return_when=asyncio.FIRST_COMPLETED)
        if exited.done():
            return False
        sink("system", "Canceling: stopping the build")
        _terminate_group(process)
        try:
            await asyncio.wait_for(asyncio.shield(exited), TERMINATE_GRACE_SECONDS)
        except TimeoutError:
            sink("system", f"Still running after {TERMINATE_GRACE_SECONDS:g} s: killing it")
        return True
    finally:
        exited.cancel()
        cancel_asked.cancel()


async def _drain(pumps: list[asyncio.Task[None]], sink: LineSink) -> None:
    """Let the readers finish; a pipe held open by an escaped grandchild is abandoned."""
    _, stuck = await asyncio.wait(pumps, timeout=DRAIN_SECONDS)
    for pump in stuck:
        pump.cancel()
    if stuck:
        sink("system", "A process left behind by the build kept its output open; stopped reading")
    await asyncio.gather(*pumps, return_exceptions=True)


async def _pump(reader: asyncio.StreamReader, stream: str, sink: LineSink) -> None:
    """Split a pipe into lines as they arrive, whatever their length or encoding errors."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    partial: list[str] = []
    while chunk := await reader.read(_READ_SIZE):
        for line in _complete_lines(decoder.decode(chunk), partial):
            sink(stream, line)
    tail = "".join(partial) + decoder.decode(b"", final=True)
    if tail:
        sink(stream, tail.removesuffix("\r"))


def _complete_lines(text: str, partial: list[str]) -> Iterator[str]:
    """Lines completed by `text`; the unfinished rest is kept in `partial` (joined once)."""
    *complete, rest = text.split("\n")
    if complete:
        complete[0] = "".join(partial) + complete[0]
        partial.clear()
    for line in complete:
        yield line.removesuffix("\r")
    if rest:
        partial.append(rest)


if sys.platform == "win32":

    def _terminate_group(process: asyncio.subprocess.Process) -> None:
        if process.returncode is None:
            with contextlib.suppress(OSError):  # no console to deliver it: killed after the grace
                process.send_signal(signal.CTRL_BREAK_EVENT)

    def _kill_group(process: asyncio.subprocess.Process) -> None:
        if process.returncode is None:
            subprocess.run(
                ["taskkill", "/PID", str(process.pid), "/T", "/F"],
                capture_output=True,
                check=False,
            )

else:

    def _terminate_group(process: asyncio.subprocess.Process) -> None:
        _signal_group(process.pid, signal.SIGTERM)

    def _kill_group(process: asyncio.subprocess.Process) -> None:
        _signal_group(process.pid, signal.SIGKILL)

    def _signal_group(group: int, sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):  # already gone
            os.killpg(group, sig)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


# -- leak scan --------------------------------------------------------------------------------


async def _leak_scan(
    store_dir: Path, values: Mapping[str, str], client_output: Sequence[str], sink: LineSink
) -> StepResult:
    if not client_output:
        sink("system", "No client output folders are configured: nothing to scan.")
        return StepResult(ok=True)
    folders = [store_dir / relative for relative in client_output]
    missing = await asyncio.to_thread(_missing_folders, client_output, folders)
    if missing:
        raise _StepFailure(
            f"Nothing to scan: {', '.join(missing)} does not exist. "
            "Did the build write its client output there?"
        )
    targets = targets_for(values)
    sink(
        "system",
        f"Scanning {', '.join(client_output)} for the values of {len(targets.keys)} entries "
        "(forms: plain, base64, URL-encoded, JSON-escaped)",
    )
    for key in targets.skipped:
        sink(
            "system", f"{key}: not scanned, its value is shorter than {MIN_VALUE_LENGTH} characters"
        )
    files, findings = await asyncio.to_thread(_scan_folders, folders, targets)
    sink("system", f"Scanned {len(files)} files")
    for finding in findings[:MAX_LOGGED_FINDINGS]:
        where = finding.file.relative_to(store_dir).as_posix()
        sink("stderr", f"{finding.key} found in {where} line {finding.line} ({finding.form})")
    if len(findings) > MAX_LOGGED_FINDINGS:
        sink("stderr", f"… and {len(findings) - MAX_LOGGED_FINDINGS} more findings")
    if not findings:
        sink("system", "No value of a non-public entry was found in the client output.")
        return StepResult(ok=True)
    first = findings[0]
    keys = sorted({f.key for f in findings})
    return StepResult(
        ok=False,
        error=(
            f"The client bundle contains the value of {', '.join(keys)} "
            f"(first in {first.file.relative_to(store_dir).as_posix()}). Keep it out of client "
            "code, rotate it, and redeploy."
        ),
    )


def _missing_folders(relatives: Sequence[str], folders: Sequence[Path]) -> list[str]:
    return [rel for rel, folder in zip(relatives, folders, strict=True) if not folder.is_dir()]


def _scan_folders(
    folders: Sequence[Path], targets: ScanTargets
) -> tuple[list[Path], list[LeakFinding]]:
    """Off the event loop: list the files, then scan them."""
    files = [path for folder in folders for path in _files_under(folder)]
    return files, scan_files(files, targets)


def _files_under(folder: Path) -> Iterator[Path]:
    """Every regular file below `folder`, in a stable order, without following links."""
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            path = Path(root, name)
            if path.is_file() and not path.is_symlink():
                yield path
