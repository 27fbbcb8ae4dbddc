"""The leak scanner finds values in plain, base64 (any alignment), URL-encoded and JSON-escaped
form."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faststore_desktop.core import leakscan
from faststore_desktop.core.leakscan import (
    MIN_VALUE_LENGTH,
    LeakFinding,
    LeakForm,
    scan_file,
    scan_files,
    targets_for,
)

SECRET = "s3cr3t-Token/with+odd=chars?&"
KEY = "FS_DISCOVERY_APP_TOKEN"
HYPOTHESIS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def bundle(tmp_path: Path, content: bytes, name: str = "chunk.js") -> Path:
    path = tmp_path / ".next" / "static" / "chunks" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def forms_found(findings: list[LeakFinding]) -> set[LeakForm]:
    return {f.form for f in findings}


def test_plain_value_is_found_with_key_file_and_line_never_the_value(tmp_path: Path) -> None:
    path = bundle(tmp_path, b'"use strict";\nvar a=1;\nconst t="' + SECRET.encode() + b'";\n')
    findings = scan_file(path, targets_for({KEY: SECRET}))
    assert findings == [LeakFinding(KEY, path, 3, LeakForm.PLAIN)]
    assert SECRET not in repr(findings)
    assert SECRET not in repr(targets_for({KEY: SECRET}))


@pytest.mark.parametrize("alignment", [0, 1, 2])
@pytest.mark.parametrize("altchars", [None, b"-_"])
def test_base64_inside_a_larger_stream_at_every_alignment(
    tmp_path: Path, alignment: int, altchars: bytes | None
) -> None:
    payload = b"x" * alignment + b'{"token":"' + SECRET.encode() + b'","n":1}'
    encoded = base64.b64encode(payload, altchars=altchars)
    path = bundle(tmp_path, b"var blob='" + encoded + b"';\n")
    findings = scan_file(path, targets_for({KEY: SECRET}))
    # Where a fragment has neither "+" nor "/", both alphabets spell it alike: "base64".
    allowed = {LeakForm.BASE64} if altchars is None else {LeakForm.BASE64, LeakForm.BASE64_URL}
    assert forms_found(findings) & allowed
    assert {f.key for f in findings} == {KEY}


@pytest.mark.parametrize("alignment", [0, 1, 2])
def test_url_safe_alphabet_is_told_apart(tmp_path: Path, alignment: int) -> None:
    value = "???>>>???>>>???>>>"  # encodes to a run of "/" and "+" at every alignment
    payload = b"y" * alignment + value.encode() + b"z"
    path = bundle(tmp_path, base64.urlsafe_b64encode(payload) + b"\n")
    assert forms_found(scan_file(path, targets_for({KEY: value}))) == {LeakForm.BASE64_URL}


@HYPOTHESIS
@given(
    prefix=st.binary(max_size=7),
    suffix=st.binary(max_size=7),
    value=st.text(
        st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=MIN_VALUE_LENGTH
    ),
    urlsafe=st.booleans(),
)
def test_base64_of_any_value_with_any_surroundings_is_found(
    tmp_path: Path, prefix: bytes, suffix: bytes, value: str, urlsafe: bool
) -> None:
    encoder = base64.urlsafe_b64encode if urlsafe else base64.b64encode
    path = bundle(tmp_path, b"data:" + encoder(prefix + value.encode() + suffix) + b"\n")
    assert scan_file(path, targets_for({"SECRET_KEY": value}))


@pytest.mark.parametrize(
    "encoded",
    [
        quote(SECRET, safe=""),
        quote(SECRET, safe="-_.!~*'()"),  # JavaScript's encodeURIComponent
        quote_plus(SECRET),
    ],
    ids=["quote", "encodeURIComponent", "form"],
)
def test_url_encoded_value_is_found(tmp_path: Path, encoded: str) -> None:
    path = bundle(tmp_path, f'fetch("/api?token={encoded}&x=1")\n'.encode())
    findings = scan_file(path, targets_for({KEY: SECRET}))
    assert LeakForm.URL_ENCODED in forms_found(findings)


def test_lower_case_escapes_are_found(tmp_path: Path) -> None:
    value = "pa ss/w@rd:long"
    path = bundle(tmp_path, b"u='pa%20ss%2fw%40rd%3along'\n")
    assert forms_found(scan_file(path, targets_for({KEY: value}))) == {LeakForm.URL_ENCODED}


def test_short_values_and_public_keys_are_not_searched(tmp_path: Path) -> None:
    path = bundle(tmp_path, b"var debug=true,env='production-us',url='https://shop.example'\n")
    targets = targets_for(
        {"DEBUG": "true", "NEXT_PUBLIC_STORE_URL": "https://shop.example", "REGION": "production"}
    )
    assert targets.skipped == ("DEBUG",)
    assert targets.keys == ("REGION",)
    assert [f.key for f in scan_file(path, targets)] == ["REGION"]


def test_a_value_inside_a_longer_public_value_is_expected_there_only(tmp_path: Path) -> None:
    entries = {
        "VTEX_ACCOUNT": "storeframework",
        "NEXT_PUBLIC_STORE_URL": "https://storeframework.vtex.app",
    }
    clean = bundle(tmp_path, b'const u="https://storeframework.vtex.app";\n', "a.js")
    leaky = bundle(tmp_path, b'const u="https://storeframework.vtex.app";\nacct="storeframework"\n')
    targets = targets_for(entries)
    assert scan_file(clean, targets) == []
    assert scan_file(leaky, targets) == [LeakFinding("VTEX_ACCOUNT", leaky, 2, LeakForm.PLAIN)]


def test_a_secret_copied_into_a_public_variable_is_still_a_leak(tmp_path: Path) -> None:
    path = bundle(tmp_path, f'const k="{SECRET}";\n'.encode())
    targets = targets_for({KEY: SECRET, "NEXT_PUBLIC_TOKEN": SECRET})
    assert [f.key for f in scan_file(path, targets)] == [KEY]


def test_binary_files_are_scanned(tmp_path: Path) -> None:
    path = bundle(tmp_path, os.urandom(300) + b"\x00\xff" + SECRET.encode() + b"\x00", "img.png")
    assert [f.form for f in scan_file(path, targets_for({KEY: SECRET}))] == [LeakForm.PLAIN]


def test_one_finding_per_key_line_and_form(tmp_path: Path) -> None:
    line = f"a='{SECRET}';b='{SECRET}';\n".encode()
    path = bundle(tmp_path, line * 3)
    findings = scan_file(path, targets_for({KEY: SECRET}))
    assert [(f.line, f.form) for f in findings] == [(n, LeakForm.PLAIN) for n in (1, 2, 3)]


def test_scan_files_covers_every_file(tmp_path: Path) -> None:
    a = bundle(tmp_path, b"nothing here\n", "a.js")
    b = bundle(tmp_path, SECRET.encode(), "b.js")
    assert [f.file for f in scan_files([a, b], targets_for({KEY: SECRET}))] == [b]


@HYPOTHESIS
@given(
    lines=st.lists(st.text(alphabet="abcdef=+/%\n", max_size=30), max_size=12),
    at=st.lists(st.integers(min_value=0, max_value=11), max_size=4),
    chunk=st.integers(min_value=1, max_value=40),
)
def test_pieces_of_any_size_give_the_same_findings_as_whole_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lines: list[str], at: list[int], chunk: int
) -> None:
    """Matches across piece boundaries and public values around them are judged as a whole."""
    # A public value longer than any search pattern, ending with another entry's value.
    public_url = "https://cdn.example.com/" + "assets/" * 12 + "storeframework"
    entries = {"ACCOUNT": "storeframework", "NEXT_PUBLIC_URL": public_url, KEY: SECRET}
    inserts = ["storeframework", public_url, SECRET]
    for n, index in enumerate(at):
        if index < len(lines):
            lines[index] += inserts[n % 3]
    path = bundle(tmp_path, "\n".join(lines).encode())
    targets = targets_for(entries)
    monkeypatch.setattr(leakscan, "CHUNK_SIZE", 1 << 22)  # the fixture outlives one example
    whole = scan_file(path, targets)
    monkeypatch.setattr(leakscan, "CHUNK_SIZE", chunk)
    assert scan_file(path, targets) == whole
    content = path.read_text()
    expected_lines = {n + 1 for n, text in enumerate(content.split("\n")) if SECRET in text}
    assert {f.line for f in whole if f.key == KEY and f.form is LeakForm.PLAIN} == expected_lines


@pytest.mark.parametrize("chunk", [1, 5, 7, 13, 40])
def test_a_public_value_across_pieces_still_excuses_what_it_contains(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    public_url = "https://cdn.example.com/" + "assets/" * 12 + "storeframework"
    targets = targets_for({"ACCOUNT": "storeframework", "NEXT_PUBLIC_URL": public_url})
    monkeypatch.setattr(leakscan, "CHUNK_SIZE", chunk)
    for padding in range(0, 140, 3):
        path = bundle(
            tmp_path, f"{'a' * padding}{public_url}\nstoreframework{'b' * padding}".encode()
        )
        assert scan_file(path, targets) == [LeakFinding("ACCOUNT", path, 2, LeakForm.PLAIN)]


def test_a_value_with_a_lone_surrogate_is_still_searched(tmp_path: Path) -> None:
    value = "broken-\ud800-paste"
    path = bundle(tmp_path, b"x='" + value.encode("utf-8", "surrogatepass") + b"'\n")
    assert [f.form for f in scan_file(path, targets_for({KEY: value}))] == [LeakForm.PLAIN]


@pytest.mark.parametrize(
    "escaped",
    [
        json.dumps(SECRET)[1:-1].replace("/", "\\/"),
        json.dumps(SECRET)[1:-1].replace("&", "\\u0026"),  # HTML-safe, as in __NEXT_DATA__
        json.dumps("tök€n-with-ünïcode")[1:-1],
    ],
    ids=["escaped-slash", "html-safe", "ascii-only"],
)
def test_json_escaped_value_is_found(tmp_path: Path, escaped: str) -> None:
    value = json.loads(f'"{escaped}"')
    path = bundle(tmp_path, f'self.__next_f.push([1,"{escaped}"])\n'.encode())
    assert forms_found(scan_file(path, targets_for({KEY: value}))) == {LeakForm.JSON_ESCAPED}
