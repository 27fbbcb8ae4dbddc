"""Which environment variables the store's code reads, and where that goes wrong.

Scans `.ts .tsx .js .jsx .mjs .cjs` files (skipping dependencies and build output) for
`process.env.NAME`, `process.env["NAME"]` and `process.env['NAME']`, then compares the keys used
with the keys WebOps defines. Browser code is a file marked `'use client'` or any file under a
`components` folder (FastStore sections and components run in the browser): there, only
`NEXT_PUBLIC_` keys exist, anything else is `undefined` at run time.
"""

from __future__ import annotations

import asyncio
import enum
import os
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from faststore_desktop.core.validation import is_public
from faststore_desktop.core.workspace.required import REQUIRED_KEYS

SOURCE_SUFFIXES = frozenset({".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs"})
#: Dependencies, build output and caches: not the store's own code.
SKIPPED_FOLDERS = frozenset(
    {"node_modules", ".next", ".faststore", ".git", "build", "dist", "out", "coverage", ".turbo"}
)
#: Set by Next.js itself, in the browser too: never a finding.
PROVIDED_BY_NEXT = frozenset({"NODE_ENV", "NEXT_RUNTIME"})
#: Bigger files are generated or vendored, not code a person wrote.
MAX_FILE_BYTES = 2 * 1024 * 1024

_USE = re.compile(
    r"""process\.env(?:\.(?P<dot>[A-Za-z_]\w*)|\[\s*(?P<q>["'`])(?P<sub>[A-Za-z_]\w*)(?P=q)\s*\])"""
)
_DIRECTIVE = re.compile(r"""^\s*(?:(?://[^\n]*|/\*.*?\*/)\s*)*["']use client["']""", re.DOTALL)


@dataclass(frozen=True, slots=True)
class KeyUse:
    key: str
    #: Relative to the store folder, with forward slashes.
    file: str
    line: int
    column: int
    in_browser: bool


class CodeIssue(enum.StrEnum):
    UNDEFINED = "undefined"  # used by the code, not defined in WebOps
    UNUSED = "unused"  # defined in WebOps, used nowhere
    NOT_PUBLIC_IN_BROWSER = "not-public-in-browser"


@dataclass(frozen=True, slots=True)
class CodeFinding:
    issue: CodeIssue
    key: str
    message: str
    #: Where it is used (empty for UNUSED).
    uses: tuple[KeyUse, ...] = ()


def source_files(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS)
        for name in sorted(files):
            if os.path.splitext(name)[1] in SOURCE_SUFFIXES:
                yield Path(root, name)


def is_browser_code(relative: str, text: str) -> bool:
    return "components" in relative.split("/")[:-1] or bool(_DIRECTIVE.match(text))


def uses_in(relative: str, text: str) -> list[KeyUse]:
    browser = is_browser_code(relative, text)
    uses = []
    line, counted_to = 1, 0
    for match in _USE.finditer(text):
        line += text.count("\n", counted_to, match.start())
        counted_to = match.start()
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        key = match.group("dot") or match.group("sub")
        uses.append(KeyUse(key, relative, line, column, browser))
    return uses


def scan_uses(folder: Path) -> list[KeyUse]:
    uses: list[KeyUse] = []
    for path in source_files(folder):
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue  # vanished or unreadable: not code this check can judge
        uses += uses_in(path.relative_to(folder).as_posix(), text)
    return uses


def check_code(uses: list[KeyUse], defined: Collection[str]) -> list[CodeFinding]:
    by_key: dict[str, list[KeyUse]] = {}
    for use in uses:
        by_key.setdefault(use.key, []).append(use)
    findings: list[CodeFinding] = []
    for key, places in sorted(by_key.items()):
        if key in PROVIDED_BY_NEXT:
            continue
        if key not in defined:
            findings.append(
                CodeFinding(
                    CodeIssue.UNDEFINED,
                    key,
                    f"The code reads {key}, which WebOps does not define: it will be undefined.",
                    tuple(places),
                )
            )
        browser = tuple(use for use in places if use.in_browser)
        if browser and not is_public(key):
            findings.append(
                CodeFinding(
                    CodeIssue.NOT_PUBLIC_IN_BROWSER,
                    key,
                    f"{key} is read in browser code, where only NEXT_PUBLIC_ keys exist: it will "
                    "be undefined there. Read it on the server, or rename it NEXT_PUBLIC_ if it "
                    "is not sensitive.",
                    browser,
                )
            )
    for key in sorted(set(defined) - set(by_key) - set(REQUIRED_KEYS)):
        findings.append(
            CodeFinding(
                CodeIssue.UNUSED,
                key,
                f"{key} is defined in WebOps but the store's code never reads it.",
            )
        )
    return findings


def check_folder(folder: Path, defined: Collection[str]) -> list[CodeFinding]:
    return check_code(scan_uses(folder), defined)


async def check_folder_async(folder: Path, defined: Collection[str]) -> list[CodeFinding]:
    return await asyncio.to_thread(check_folder, folder, frozenset(defined))
