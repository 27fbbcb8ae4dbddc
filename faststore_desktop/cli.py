"""Command line: the GUI by default, plus subcommands the packaged binary must also offer."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

#: Hidden subcommand: a frozen build has no separate interpreter, so build steps written in
#: Python (`("@python", "build.py")`) run as `<app> run-script build.py ...`.
RUN_SCRIPT_COMMAND = "run-script"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="faststore-desktop",
        description="Manage FastStore WebOps variables and secrets from the desktop.",
    )
    parser.add_argument("--version", action=_ShowVersion)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="check that the app works on this machine (window, keyring, database, a deployment "
        "of the sample store, all in a temporary folder), then quit: 0 when it does",
    )
    # Each subcommand module imports only argparse at registration; its handler imports the rest,
    # so starting the GUI loads no server code.
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    from faststore_desktop.webops.server.cli import add_commands as add_server_commands

    add_server_commands(commands)
    return parser


class _ShowVersion(argparse.Action):
    """--version; the version is looked up only when asked for (see faststore_desktop.__init__)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **_kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any, **_kwargs: Any) -> None:
        from faststore_desktop import __version__

        print(f"{parser.prog} {__version__}")
        parser.exit()


def run_script(argv: list[str]) -> int:
    """Run a script as `python script.py args...` would, in a fresh `__main__` namespace."""
    import runpy
    import sys
    from pathlib import Path

    if not argv:
        print(f"usage: faststore-desktop {RUN_SCRIPT_COMMAND} SCRIPT [ARGS...]", file=sys.stderr)
        return 2
    script = Path(argv[0])
    sys.argv = list(argv)
    sys.path.insert(0, str(script.resolve().parent))
    for stream in (sys.stdout, sys.stderr):  # a frozen app may ignore PYTHONIOENCODING
        if stream is not None:
            stream.reconfigure(encoding="utf-8", line_buffering=True)  # type: ignore[union-attr]
    runpy.run_path(str(script), run_name="__main__")
    return 0


def run(argv: list[str]) -> int:
    if not argv:  # the GUI, as a user starts it: no parser to build (it loads the server's CLI)
        return _gui()
    if argv[:1] == [RUN_SCRIPT_COMMAND]:
        return run_script(argv[1:])
    args = build_parser().parse_args(argv)
    if args.command is not None:
        return int(args.handler(args))
    if args.smoke:
        from faststore_desktop.smoke import run_smoke

        return run_smoke()
    return _gui()


def _gui() -> int:
    from faststore_desktop.app import run_gui

    return run_gui()
