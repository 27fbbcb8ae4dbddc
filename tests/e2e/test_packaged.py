"""The packaged Linux binary: build it (or reuse a fresh one), then use it as a user would.

Slow (a PyInstaller build takes about a minute): skipped unless FSD_PACKAGE_TEST=1, which
`make package-test` sets. FSD_PACKAGE_BUNDLE=path/to/faststore-desktop reuses a given bundle.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from faststore_desktop import __version__
from faststore_desktop.resources import resource_path
from faststore_desktop.webops.server import process
from faststore_desktop.webops.server.process import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
NAME = "faststore-desktop"
BUILD_TIMEOUT = 900
RUN_TIMEOUT = 240
#: What goes into the bundle: a bundle older than any of these is rebuilt.
SOURCES = ("faststore_desktop", "resources", "packaging", "pyproject.toml")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("FSD_PACKAGE_TEST") != "1" or not sys.platform.startswith("linux"),
        reason="builds the Linux bundle: run `make package-test` (or set FSD_PACKAGE_TEST=1)",
    ),
    pytest.mark.timeout(BUILD_TIMEOUT + RUN_TIMEOUT),
]


def newest_source_mtime() -> float:
    newest = 0.0
    for name in SOURCES:
        path = ROOT / name
        files = path.rglob("*") if path.is_dir() else [path]
        newest = max([newest, *(f.stat().st_mtime for f in files if "__pycache__" not in f.parts)])
    return newest


@pytest.fixture(scope="module")
def bundle() -> Path:
    """The bundle folder: FSD_PACKAGE_BUNDLE, else dist/ when fresh, else a new build."""
    given = os.environ.get("FSD_PACKAGE_BUNDLE")
    if given:
        return Path(given)
    built = ROOT / "dist" / NAME
    program = built / NAME
    if not program.is_file() or program.stat().st_mtime < newest_source_mtime():
        result = subprocess.run(
            [str(ROOT / "packaging" / "linux" / "build.sh")],
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    return built


@pytest.fixture
def binary(bundle: Path) -> Path:
    return bundle / NAME


def run(
    binary: Path, *args: str, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(binary), *args],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )


def test_version_comes_from_the_bundled_package_metadata(binary: Path) -> None:
    result = run(binary, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{NAME} {__version__}"
    assert __version__ != "0.0.0+unknown"


def test_the_bundle_has_the_metadata_of_every_component_the_about_dialog_lists(
    bundle: Path,
) -> None:
    """Without it the About dialog of the frozen app would show components without versions."""

    def normalized(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    internal = bundle / "_internal"
    bundled = {
        normalized(p.name.removesuffix(".dist-info").rsplit("-", 1)[0])
        for p in internal.glob("*.dist-info")
    }
    listed = json.loads((internal / "resources" / "licenses" / "components.json").read_text())
    for component in listed:
        distribution = component["distribution"]
        if distribution and not distribution.startswith("<"):
            assert normalized(distribution) in bundled, component["name"]


def test_smoke_passes_offscreen_with_the_keyring_in_use(binary: Path) -> None:
    result = run(binary, "--smoke")
    assert result.returncode == 0, result.stdout + result.stderr
    if os.environ.get("FSD_PRIVATE_KEYRING"):  # `make package-test` runs a private Secret Service
        assert "(a system store): round trip ok" in result.stdout
    else:
        assert "keyring: NONE USABLE" in result.stdout
    # One deployment of the sample store: its Python build ran through the frozen binary.
    assert "Success in" in result.stdout
    assert "Build Success, Leak scan Success" in result.stdout


def test_run_script_builds_the_sample_store_with_the_frozen_interpreter(
    binary: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    shutil.copytree(resource_path("sample-store"), store)
    url = "https://shop.example"
    result = run(
        binary,
        "run-script",
        "build.py",
        cwd=store,
        FS_DISCOVERY_APP_KEY=f"vtexappkey-{secrets.token_hex(4)}",
        NEXT_PUBLIC_STORE_URL=url,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Compiled successfully" in result.stdout
    chunks = list((store / ".next" / "static" / "chunks").glob("*.js"))
    assert chunks
    assert any(url in chunk.read_text(encoding="utf-8") for chunk in chunks)


@pytest.fixture
def served(
    binary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServerProcess]:
    monkeypatch.setattr(process, "program", lambda: [str(binary)])
    server = ServerProcess(tmp_path / "server", secrets.token_bytes(32), tmp_path / "serve.log")
    server.start()
    yield server
    server.stop()


def test_serve_from_the_binary_answers_healthz_and_a_token_it_made(
    binary: Path, served: ServerProcess
) -> None:
    health = httpx.get(f"{served.base_url}/healthz", timeout=10)
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert health.json()["version"] == __version__

    made = run(
        binary, "token", "create", "e2e", "--role", "admin", "--data-dir", str(served.data_dir)
    )
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    stores = httpx.get(
        f"{served.base_url}/api/v1/stores", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert stores.status_code == 200, stores.text
    refused = httpx.get(f"{served.base_url}/api/v1/stores", timeout=10)
    assert refused.status_code == 401


def test_the_binary_runs_from_each_unpacked_archive(bundle: Path, tmp_path: Path) -> None:
    dist = bundle.parent
    debs = list(dist.glob(f"{NAME}_{__version__}_*.deb"))
    tarballs = list(dist.glob(f"{NAME}-{__version__}-linux-*.tar.gz"))
    if not debs or not tarballs:
        pytest.skip("the given bundle came without its archives")
    deb_root, tar_root = tmp_path / "deb", tmp_path / "tar"
    subprocess.run(["dpkg-deb", "--extract", str(debs[0]), str(deb_root)], check=True)
    tar_root.mkdir()
    subprocess.run(["tar", "-xzf", str(tarballs[0]), "-C", str(tar_root)], check=True)
    for program in (
        deb_root / "opt" / NAME / NAME,
        tar_root / f"{NAME}-{__version__}" / NAME,
    ):
        result = run(program, "--version")
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"{NAME} {__version__}"


def test_the_archives_hold_the_bundle_and_the_desktop_integration(bundle: Path) -> None:
    dist = bundle.parent
    debs = list(dist.glob(f"{NAME}_{__version__}_*.deb"))
    tarballs = list(dist.glob(f"{NAME}-{__version__}-linux-*.tar.gz"))
    if not debs or not tarballs:
        pytest.skip("the given bundle came without its archives")
    listing = subprocess.run(
        ["dpkg-deb", "--contents", str(debs[0])], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        f"./opt/{NAME}/{NAME}",
        f"./usr/bin/{NAME} -> /opt/{NAME}/{NAME}",
        f"./usr/share/applications/{NAME}.desktop",
        "./usr/share/metainfo/io.faststore.desktop.metainfo.xml",
        f"./usr/share/icons/hicolor/16x16/apps/{NAME}.png",
        f"./usr/share/icons/hicolor/512x512/apps/{NAME}.png",
        f"./usr/share/icons/hicolor/scalable/apps/{NAME}.svg",
        f"./opt/{NAME}/_internal/resources/licenses/Qt-NOTICE.txt",
    ):
        assert expected in listing
    control = subprocess.run(
        ["dpkg-deb", "--field", str(debs[0]), "Depends"], capture_output=True, text=True, check=True
    ).stdout
    assert "libxcb-cursor0" in control
    assert "libc6 (>= 2.34)" in control
