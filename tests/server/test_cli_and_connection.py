"""The command line (serve refusals, tokens, server keys) and the connection test the app's
"Test" button runs, each failure explained in words."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import ipaddress
import os
import secrets
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from newer_server import newer_server
from serverkit import Served

from faststore_desktop.webops.http import ConnectionProblem, check_connection
from faststore_desktop.webops.local.ownership import DataFolderInUseError
from faststore_desktop.webops.local.service import LocalWebOps
from faststore_desktop.webops.server.datakey import KEY_ENV
from faststore_desktop.webops.server.process import ServerProcess, program


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != KEY_ENV} | (env or {})
    return subprocess.run(
        [*program(), *args],
        check=False,
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


def test_serve_refuses_to_start_without_a_data_key_and_says_how_to_make_one(
    tmp_path: Path,
) -> None:
    result = cli("serve", "--data-dir", str(tmp_path), "--port", "0")

    assert result.returncode == 2
    assert "needs a data key" in result.stderr
    assert "faststore-desktop server-key create PATH" in result.stderr


def test_serve_refuses_a_network_address_without_tls(tmp_path: Path) -> None:
    key = tmp_path / "server.key"
    assert cli("server-key", "create", str(key)).returncode == 0

    result = cli("serve", "--host", "0.0.0.0", "--key-file", str(key), "--data-dir", str(tmp_path))

    assert result.returncode == 2
    assert "without TLS" in result.stderr and "--tls-cert" in result.stderr


@pytest.mark.asyncio
async def test_serve_refuses_a_data_folder_the_app_has_open_and_exits_non_zero(
    tmp_path: Path,
) -> None:
    key = secrets.token_bytes(32)
    env = {KEY_ENV: base64.b64encode(key).decode()}
    app = await LocalWebOps.open(tmp_path, key, actor="ana")
    try:
        result = await asyncio.to_thread(
            cli, "serve", "--data-dir", str(tmp_path), "--port", "0", env=env
        )
    finally:
        await app.close()

    assert result.returncode == 2
    assert "FastStore Desktop is already open with this data folder" in result.stderr
    assert f"(process {os.getpid()})" in result.stderr
    assert "Traceback" not in result.stderr and "Uvicorn running" not in result.stderr


@pytest.mark.asyncio
async def test_serve_refuses_a_data_key_that_does_not_fit_the_folder(tmp_path: Path) -> None:
    await (await LocalWebOps.open(tmp_path, secrets.token_bytes(32), actor="ana")).close()
    env = {KEY_ENV: base64.b64encode(secrets.token_bytes(32)).decode()}

    result = await asyncio.to_thread(
        cli, "serve", "--data-dir", str(tmp_path), "--port", "0", env=env
    )

    assert result.returncode == 2
    assert "another data key" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.asyncio
async def test_the_app_cannot_open_the_data_folder_of_a_running_server(tmp_path: Path) -> None:
    key, data = secrets.token_bytes(32), tmp_path / "data"
    data.mkdir()
    server = ServerProcess(data, key, tmp_path / "server.log").start()
    try:
        with pytest.raises(DataFolderInUseError):
            await LocalWebOps.open(data, key, actor="ana")
    finally:
        server.stop()

    await (await LocalWebOps.open(data, key, actor="ana")).close()  # freed on exit


def test_server_key_create_writes_an_owner_only_key_and_never_overwrites(tmp_path: Path) -> None:
    key = tmp_path / "server.key"

    first = cli("server-key", "create", str(key))
    content = key.read_bytes()
    second = cli("server-key", "create", str(key))

    assert first.returncode == 0 and second.returncode == 2
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_bytes() == content
    assert "left untouched" in second.stderr


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    key = tmp_path / "server.key"
    cli("server-key", "create", str(key))
    key.chmod(0o644)

    result = cli("serve", "--key-file", str(key), "--data-dir", str(tmp_path))

    assert result.returncode == 2 and "chmod 600" in result.stderr


def test_tokens_are_created_shown_once_listed_without_secrets_and_revoked(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path)]

    created = cli("token", "create", "ci bot", "--role", "editor", *data)
    listed = cli("token", "list", *data)
    revoked = cli("token", "revoke", "ci bot", *data)
    again = cli("token", "revoke", "ci bot", *data)
    after = cli("token", "list", *data)

    token = created.stdout.strip()
    assert created.returncode == 0 and token.startswith("fsd_")
    assert "ci bot\teditor\tactive" in listed.stdout
    assert token not in listed.stdout + after.stdout
    assert token not in (tmp_path / "tokens.sqlite3").read_bytes().decode("latin-1")
    assert revoked.returncode == 0 and again.returncode == 2
    assert "ci bot\teditor\trevoked" in after.stdout


# -- the connection test -------------------------------------------------------------------------
@pytest.mark.asyncio
@pytest.mark.parametrize("role", ["editor", "admin"])
async def test_a_token_that_may_edit_connects_and_says_who_it_is(served: Served, role: str) -> None:
    report = await check_connection(served.base_url, served.tokens[role])

    assert report.ok, report.message
    assert report.problem is None
    assert (report.user, report.role) == (role, role)
    assert report.message.startswith("Connected to WebOps ")
    assert report.message.endswith(f" as {role} ({role}).")


@pytest.mark.asyncio
async def test_a_viewer_token_connects_but_is_told_it_can_only_view(served: Served) -> None:
    report = await check_connection(served.base_url, served.tokens["viewer"])

    assert report.ok, report.message  # it connects: reading is allowed
    assert report.problem is ConnectionProblem.NO_PERMISSION
    assert (report.user, report.role) == ("viewer", "viewer")
    assert "as viewer (viewer)" in report.message
    assert (
        "this token can only view; ask an admin for an editor token to change variables."
        in report.message
    )


@pytest.mark.asyncio
async def test_a_role_the_app_does_not_know_is_named_without_promising_edits() -> None:
    """A newer server may answer a role this version has never heard of."""

    async with httpx.AsyncClient(transport=newer_server()) as client:
        report = await check_connection("http://127.0.0.1:8787", "fsd_t", client=client)

    assert report.ok and report.role == "auditor"  # it connects
    assert report.problem is ConnectionProblem.UNKNOWN_ROLE  # a warning, not a plain success
    assert "as ops (auditor)" in report.message
    assert "does not know the role 'auditor'" in report.message


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("token", "words"), [("expired", "expired"), ("revoked", "revoked"), ("wrong", "not valid")]
)
async def test_a_bad_token_is_explained(served: Served, token: str, words: str) -> None:
    report = await check_connection(served.base_url, served.tokens.get(token, "fsd_wrong"))

    assert not report.ok
    assert report.problem is ConnectionProblem.BAD_TOKEN
    assert words in report.message


@pytest.mark.asyncio
async def test_an_unreachable_server_is_explained() -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    report = await check_connection(f"http://127.0.0.1:{port}", "t")

    assert report.problem is ConnectionProblem.UNREACHABLE
    assert "cannot be reached" in report.message


@pytest.fixture
def plain_web_server(tmp_path: Path) -> Iterator[str]:
    """Python's own http.server: a web server, but not a WebOps one."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    other = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        other.terminate()
        other.wait()


@pytest.mark.asyncio
async def test_a_web_server_that_is_not_webops_is_explained(plain_web_server: str) -> None:
    report = await _when_listening(plain_web_server)

    assert report.problem is ConnectionProblem.NOT_WEBOPS
    assert "not a WebOps server" in report.message


async def _when_listening(url: str):
    import asyncio

    for _ in range(200):
        report = await check_connection(url, "t")
        if report.problem is not ConnectionProblem.UNREACHABLE:
            return report
        await asyncio.sleep(0.05)
    return report


@pytest.mark.asyncio
async def test_plain_http_to_an_https_address_is_a_tls_problem(served: Served) -> None:
    report = await check_connection(served.base_url.replace("http://", "https://"), "t")

    assert report.problem is ConnectionProblem.TLS
    assert "does not speak TLS" in report.message


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_a_server_without_tokens_says_how_to_make_one(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path, secrets.token_bytes(32), tmp_path / "server.log").start()
    server.stop()

    assert "token create NAME --role admin" in server.log_text()


@pytest.mark.asyncio
async def test_an_untrusted_certificate_is_a_tls_problem(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    (tmp_path / "data").mkdir()
    server = ServerProcess(
        tmp_path / "data",
        secrets.token_bytes(32),
        tmp_path / "server.log",
        options=("--tls-cert", str(cert), "--tls-key", str(key)),
    ).start()
    try:
        report = await check_connection(server.base_url, "t")
    finally:
        server.stop()

    assert server.base_url.startswith("https://")
    assert report.problem is ConnectionProblem.TLS
    assert "certificate is not trusted" in report.message


@pytest.mark.parametrize(
    ("host", "tls", "insecure", "refused"),
    [
        ("127.0.0.1", False, False, ""),
        ("::1", False, False, ""),
        ("localhost", False, False, ""),
        ("0.0.0.0", False, False, "without TLS"),
        ("192.168.1.10", False, True, ""),
        ("192.168.1.10", True, False, ""),
    ],
)
def test_which_addresses_need_tls(host: str, tls: bool, insecure: bool, refused: str) -> None:
    from faststore_desktop.webops.server.serve import ServeOptions, ServeRefusedError, check_address

    pem = Path("x.pem") if tls else None
    options = ServeOptions(host, 0, Path(), b"", tls_cert=pem, tls_key=pem, insecure=insecure)

    if refused:
        with pytest.raises(ServeRefusedError, match=refused):
            check_address(options)
    else:
        check_address(options)


def test_a_certificate_without_its_key_is_refused() -> None:
    from faststore_desktop.webops.server.serve import ServeOptions, ServeRefusedError, check_address

    options = ServeOptions("127.0.0.1", 0, Path(), b"", tls_cert=Path("cert.pem"))

    with pytest.raises(ServeRefusedError, match="both --tls-cert and --tls-key"):
        check_address(options)


def test_the_command_line_loads_no_server_code_until_a_server_command_runs() -> None:
    probe = (
        "import sys, faststore_desktop.cli as cli; cli.build_parser(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'uvicorn')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, timeout=60
    )

    assert result.stdout.strip() == "[]"
