"""Build the sample store the way Next.js would, with nothing but Python.

Reads the environment WebOps injects, fails clearly when a required variable is missing, and
writes the output under .next/: client components ('use client') go to .next/static/chunks with
every `process.env.NEXT_PUBLIC_*` replaced by its value (other variables become `undefined` in
the browser, as in Next.js); server code goes to .next/server and keeps reading `process.env`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
from pathlib import Path

REQUIRED = ("FS_DISCOVERY_APP_KEY",)
RECOMMENDED = ("FS_DISCOVERY_APP_TOKEN", "VTEX_ACCOUNT", "NEXT_PUBLIC_STORE_URL")
PUBLIC_PREFIX = "NEXT_PUBLIC_"
SOURCE_SUFFIXES = {".ts", ".tsx", ".js", ".jsx"}
ENV_REFERENCE = re.compile(r"process\.env\.([A-Za-z_][A-Za-z0-9_]*)")
CLIENT_DIRECTIVE = re.compile(r"""\A\s*(['"])use client\1;?""")

ROOT = Path(__file__).resolve().parent
OUT = ROOT / ".next"


def main() -> int:
    print("  ▲ FastStore sample store (Next.js-style build)")
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        for name in missing:
            print(
                f"Error: {name} is not set. Add it to the store's variables and secrets "
                "(as a secret), then redeploy.",
                file=sys.stderr,
            )
        return 1
    for name in RECOMMENDED:
        if not os.environ.get(name):
            print(f"warn  - {name} is not set; the store will not work fully without it")
    public = sorted(name for name in os.environ if name.startswith(PUBLIC_PREFIX))
    print(f"  - Environments: injected ({len(public)} public: {', '.join(public) or 'none'})")
    print()
    print("   Creating an optimized production build ...")

    shutil.rmtree(OUT, ignore_errors=True)
    sources = sorted(p for p in (ROOT / "src").rglob("*") if p.suffix in SOURCE_SUFFIXES)
    client, server = [], []
    for source in sources:
        code = source.read_text(encoding="utf-8")
        relative = source.relative_to(ROOT).as_posix()
        if CLIENT_DIRECTIVE.match(code):
            client.append(write_client_chunk(relative, code))
        else:
            server.append(write_server_module(relative, code))
    build_id = hashlib.sha256("".join(client + server).encode()).hexdigest()[:21]
    write_manifests(build_id, client)

    print(" ✓ Compiled successfully")
    print("   Collecting page data ...")
    print(f" ✓ Generating static pages (1/1)  ({len(server)} server modules)")
    print("   Finalizing page optimization ...")
    print()
    print("Route (pages)                              Size     First Load JS")
    print("┌ λ /                                      1.9 kB         82.4 kB")
    for chunk in client:
        print(f"  └ chunks/{chunk}")
    print()
    print(f"Build {build_id} written to .next/ (client chunks: {len(client)})")
    return 0


def inline_public_env(code: str) -> str:
    """What the bundler does to client code: public variables inlined, others undefined."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        value = os.environ.get(name) if name.startswith(PUBLIC_PREFIX) else None
        return "undefined" if value is None else json.dumps(value)

    return ENV_REFERENCE.sub(replace, code)


def write_client_chunk(relative: str, code: str) -> str:
    body = inline_public_env(code)
    digest = hashlib.sha256(body.encode()).hexdigest()[:16]
    name = f"{Path(relative).stem.lower()}-{digest}.js"
    chunk = (
        "(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([["
        f"{int(digest[:6], 16)}],{{{json.dumps(relative)}:function(module,exports,require){{\n"
        f"{body}\n}}}}]);\n"
    )
    write(OUT / "static" / "chunks" / name, chunk)
    return name


def write_server_module(relative: str, code: str) -> str:
    target = OUT / "server" / Path(relative).with_suffix(".js")
    write(target, f"// {relative}\n{code}")
    return target.relative_to(OUT).as_posix()


def write_manifests(build_id: str, client: list[str]) -> None:
    write(OUT / "BUILD_ID", build_id)
    pages = {"/": [f"static/chunks/{name}" for name in client]}
    write(OUT / "build-manifest.json", json.dumps({"pages": pages}, indent=2))
    manifest = (
        f"self.__BUILD_MANIFEST={json.dumps(pages)};"
        "self.__BUILD_MANIFEST_CB&&self.__BUILD_MANIFEST_CB()"
    )
    write(OUT / "static" / build_id / "_buildManifest.js", manifest)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
