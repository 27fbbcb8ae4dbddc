"""A real git repository in a temporary folder, for the workspace and migration tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

IDENTITY = {
    "GIT_AUTHOR_NAME": "Ana Dev",
    "GIT_AUTHOR_EMAIL": "ana@example.com",
    "GIT_COMMITTER_NAME": "Ana Dev",
    "GIT_COMMITTER_EMAIL": "ana@example.com",
}


class Sandbox:
    """A store folder that is a git work tree; `git()` runs the real command in it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        result = subprocess.run(
            ["git", *args],
            cwd=self.folder,
            env={**os.environ, **IDENTITY},
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def write(self, name: str, text: str) -> Path:
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def commit(self, message: str, *paths: str) -> str:
        self.git("add", "--", *(paths or (".",)))
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


#: A small FastStore store whose files have the usual mistakes, for the view tests.
STORE_FILES = {
    "package.json": (
        '{\n  "name": "storeframework",\n  "scripts": {"build": "faststore build"}\n}\n'
    ),
    ".gitignore": "node_modules\n.next\n",
    "faststore.config.js": "module.exports = { api: { storeId: process.env.VTEX_ACCOUNT } }\n",
    "src/components/sections/Reviews.tsx": (
        "export default function Reviews() {\n"
        "  const token = process.env.REVIEWS_API_TOKEN\n"
        "  const url = process.env.NEXT_PUBLIC_STORE_URL\n"
        "  return null\n"
        "}\n"
    ),
    "src/pages/api/reviews.ts": (
        "export default async function handler() {\n"
        "  const token = process.env.REVIEWS_API_TOKEN\n"
        "  const preview = process.env['CMS_PREVIEW_SECRET']\n"
        "}\n"
    ),
}
REVIEWS_TOKEN = "rv_live_9f8e7d6c5b4a3f2e1d0c"
APP_KEY = "vtexappkey-storeframework-QWERTY"
ENV_TEXT = (
    "# Local development of storeframework\n"
    "VTEX_ACCOUNT=storeframework\n"
    f"FS_DISCOVERY_APP_KEY={APP_KEY}\n"
    f"REVIEWS_API_TOKEN={REVIEWS_TOKEN}\n"
)


def realistic_store(folder: Path) -> Sandbox:
    """A git store: vtex.env not ignored and committed once (then untracked), the revealed
    secrets file tracked."""
    box = Sandbox(folder)
    for name, text in STORE_FILES.items():
        box.write(name, text)
    box.commit("Store skeleton")
    box.write("vtex.env", ENV_TEXT)
    box.commit("Add local env", "vtex.env")
    box.git("rm", "-q", "--cached", "vtex.env")
    box.git("commit", "-q", "-m", "Stop tracking vtex.env")
    box.write(
        "secrets.revealed.json",
        '{\n  "account": "storeframework",\n  "FS_DISCOVERY_APP_KEY": "' + APP_KEY + '"\n}\n',
    )
    box.commit("Legacy secrets", "secrets.revealed.json")
    return box


def install_git_shim(folder: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    """Put first on PATH a `git` that runs the shell `script`, then the real git (`$REAL_GIT`)
    with the same arguments, unless the script exits first."""
    real_git = shutil.which("git")
    assert real_git is not None
    folder.mkdir(parents=True, exist_ok=True)
    shim = folder / "git"
    shim.write_text(f'#!/bin/sh\nREAL_GIT="{real_git}"\n{script}\nexec "$REAL_GIT" "$@"\n')
    shim.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{Path(real_git).parent}")


#: A `install_git_shim` script: `git log --all -p` (the history scan) never ends. A child of the
#: command (as a wrapper or a helper would be) writes its pid to `{pid}` and sleeps; the command
#: waits for it.
ENDLESS_HISTORY = 'case "$*" in *" log --all -p "*) sleep 60 & echo $! > "{pid}"; wait;; esac'


def written_pid(pid_file: Path) -> int | None:
    """The pid ENDLESS_HISTORY wrote, once it has."""
    text = pid_file.read_text().strip() if pid_file.exists() else ""
    return int(text) if text else None


def process_alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, dead but not yet reaped by its new parent, does not)."""
    stat = Path(f"/proc/{pid}/stat")
    if stat.parent.parent.is_dir() and Path("/proc/self").exists():
        try:
            state = stat.read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return False
        return state not in ("Z", "X")
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
