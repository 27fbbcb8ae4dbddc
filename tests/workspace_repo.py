"""A real git repository in a temporary folder, for the workspace and migration tests."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

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
