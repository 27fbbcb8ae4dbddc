"""Command line: the GUI by default, plus subcommands the packaged binary must also offer."""

from __future__ import annotations

import argparse

from faststore_desktop import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="faststore-desktop",
        description="Manage FastStore WebOps variables and secrets from the desktop.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def run(argv: list[str]) -> int:
    build_parser().parse_args(argv)
    from faststore_desktop.app import run_gui

    return run_gui()
