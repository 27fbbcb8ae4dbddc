"""The code check on a small, realistic FastStore / Next.js tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from faststore_desktop.core.workspace.codescan import (
    CodeIssue,
    check_folder,
    check_folder_async,
    scan_uses,
    uses_in,
)

TREE = {
    "src/pages/api/reviews.ts": (
        "import type { NextApiRequest } from 'next'\n"
        "const token = process.env.REVIEWS_API_TOKEN\n"
        "const base = process.env['REVIEWS_BASE_URL'] ?? ''\n"
    ),
    "src/components/sections/Banner/Banner.tsx": (
        "export default function Banner() {\n"
        "  const id = process.env.NEXT_PUBLIC_GTM_ID\n"
        '  const key = process.env["REVIEWS_API_TOKEN"]\n'
        "  return null\n"
        "}\n"
    ),
    "src/lib/analytics.js": (
        "// a module shared by pages\n"
        "'use client'\n"
        "export const debug = process.env.NODE_ENV !== 'production' && process.env.DEBUG_LEVEL\n"
    ),
    "faststore.config.js": "module.exports = { api: { storeId: process.env.VTEX_ACCOUNT } }\n",
    "src/server/cms.mjs": "export const cms = process.env.CMS_TOKEN\n",
    "node_modules/@faststore/core/index.js": "process.env.FROM_A_DEPENDENCY\n",
    ".next/server/chunk.js": "process.env.FROM_BUILD_OUTPUT\n",
    "dist/out.cjs": "process.env.FROM_DIST\n",
    "README.md": "process.env.IN_A_README\n",
}

DEFINED = {
    "REVIEWS_API_TOKEN",
    "REVIEWS_BASE_URL",
    "NEXT_PUBLIC_GTM_ID",
    "VTEX_ACCOUNT",
    "FS_DISCOVERY_APP_KEY",
    "FS_DISCOVERY_APP_TOKEN",
    "OLD_PAYMENT_KEY",
}


@pytest.fixture
def store(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    for name, text in TREE.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


def test_uses_are_found_with_file_line_and_column_outside_build_output(store: Path) -> None:
    found = {(u.key, u.file, u.line, u.column) for u in scan_uses(store)}
    assert found == {
        ("REVIEWS_API_TOKEN", "src/pages/api/reviews.ts", 2, 15),
        ("REVIEWS_BASE_URL", "src/pages/api/reviews.ts", 3, 14),
        ("NEXT_PUBLIC_GTM_ID", "src/components/sections/Banner/Banner.tsx", 2, 14),
        ("REVIEWS_API_TOKEN", "src/components/sections/Banner/Banner.tsx", 3, 15),
        ("NODE_ENV", "src/lib/analytics.js", 3, 22),
        ("DEBUG_LEVEL", "src/lib/analytics.js", 3, 63),
        ("VTEX_ACCOUNT", "faststore.config.js", 1, 36),
        ("CMS_TOKEN", "src/server/cms.mjs", 1, 20),
    }


def test_browser_code_is_components_and_use_client_files(store: Path) -> None:
    browser = {u.file for u in scan_uses(store) if u.in_browser}
    assert browser == {"src/components/sections/Banner/Banner.tsx", "src/lib/analytics.js"}


def test_findings(store: Path) -> None:
    findings = {(f.issue, f.key): f for f in check_folder(store, DEFINED)}
    assert set(findings) == {
        (CodeIssue.UNDEFINED, "DEBUG_LEVEL"),
        (CodeIssue.NOT_PUBLIC_IN_BROWSER, "DEBUG_LEVEL"),
        (CodeIssue.UNDEFINED, "CMS_TOKEN"),
        (CodeIssue.NOT_PUBLIC_IN_BROWSER, "REVIEWS_API_TOKEN"),
        (CodeIssue.UNUSED, "OLD_PAYMENT_KEY"),
    }
    leak = findings[(CodeIssue.NOT_PUBLIC_IN_BROWSER, "REVIEWS_API_TOKEN")]
    assert [(u.file, u.line) for u in leak.uses] == [
        ("src/components/sections/Banner/Banner.tsx", 3)
    ]
    assert "undefined" in leak.message


def test_quotes_must_match_and_keys_must_be_names() -> None:
    text = "process.env['A\"] + process.env[KEY] + process.env[`B`] + process.env . C"
    assert [u.key for u in uses_in("x.ts", text)] == ["B"]


@pytest.mark.asyncio
async def test_async_wrapper(store: Path) -> None:
    assert await check_folder_async(store, DEFINED) == check_folder(store, DEFINED)
