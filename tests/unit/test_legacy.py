"""Reading the legacy secrets files: every way they can be wrong names the problem and place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faststore_desktop.core.legacy import (
    parse_hidden,
    parse_revealed,
    read_hidden,
    read_revealed,
)
from faststore_desktop.core.validation import Severity, validate_key

SECRET = "s3cr3t-value-never-shown"

REVEALED = """{
  "account": "shop",
  "FS_DISCOVERY_APP_KEY": "vtexappkey-shop-ABC",
  "FS_DISCOVERY_APP_TOKEN": "@SECRET@"
}
""".replace("@SECRET@", SECRET)

HIDDEN = json.dumps(
    {
        "account": "ENC[AES256_GCM,data:c2hvcA==,iv:aXY=,tag:dGFn,type:str]",
        "FS_DISCOVERY_APP_KEY": "ENC[AES256_GCM,data:YWJj,iv:aXY=,tag:dGFn,type:str]",
        "PAYMENT_TOKEN": "ENC[AES256_GCM,data:eHl6,iv:aXY=,tag:dGFn,type:str]",
        "sops": {"kms": None, "lastmodified": "2023-05-02T10:00:00Z", "mac": "ENC[...]"},
    },
    indent=2,
)


def codes(findings: tuple) -> list[str]:
    return [f.code for f in findings]


def no_value_in(findings: tuple, *values: str) -> None:
    for finding in findings:
        for value in values:
            assert value not in finding.message


def test_a_good_revealed_file() -> None:
    revealed = parse_revealed(REVEALED)
    assert revealed.ok and revealed.findings == ()
    assert revealed.values["FS_DISCOVERY_APP_TOKEN"] == SECRET
    assert list(revealed.values) == ["account", "FS_DISCOVERY_APP_KEY", "FS_DISCOVERY_APP_TOKEN"]
    assert SECRET not in repr(revealed)


def test_invalid_json_names_line_and_column() -> None:
    revealed = parse_revealed('{\n  "account": "shop"\n  "B": "x"\n}')
    [finding] = revealed.findings
    assert finding.code == "legacy-invalid-json" and finding.severity is Severity.ERROR
    assert (finding.line, finding.column) == (3, 3)
    assert "line 3, column 3" in finding.message
    assert "secrets.revealed.json" in finding.message


@pytest.mark.parametrize(("text", "what"), [("[1, 2]", "a list"), ('"x"', "not a string")])
def test_not_an_object(text: str, what: str) -> None:
    [finding] = parse_revealed(text).findings
    assert finding.code == "legacy-not-an-object"
    assert what in finding.message


def test_a_non_string_value_is_named_with_its_place() -> None:
    revealed = parse_revealed('{\n  "account": "shop",\n  "RETRIES": 3,\n  "NESTED": {"a": "b"}\n}')
    findings = {f.key: f for f in revealed.findings}
    assert findings["RETRIES"].code == "legacy-not-a-string"
    assert "a number" in findings["RETRIES"].message
    assert (findings["RETRIES"].line, findings["RETRIES"].column) == (3, 3)
    assert "an object" in findings["NESTED"].message
    assert list(revealed.values) == ["account"]
    assert not revealed.ok


def test_a_missing_account() -> None:
    revealed = parse_revealed('{"TOKEN": "@SECRET@"}'.replace("@SECRET@", SECRET))
    assert codes(revealed.findings) == ["legacy-no-account"]
    no_value_in(revealed.findings, SECRET)


def test_an_invalid_key_name_and_a_duplicate() -> None:
    revealed = parse_revealed(
        '{"account": "shop",\n "my-key": "@SECRET@",\n "A": "1",\n "A": "2"}'.replace(
            "@SECRET@", SECRET
        )
    )
    by_code = {f.code: f for f in revealed.findings}
    assert by_code["key-invalid"].key == "my-key"
    assert by_code["key-invalid"].line == 2
    assert "secrets.revealed.json" in by_code["key-invalid"].message
    assert by_code["legacy-duplicate-key"].key == "A" and by_code["legacy-duplicate-key"].line == 4
    assert "my-key" not in revealed.values
    no_value_in(revealed.findings, SECRET)


def test_a_good_hidden_file_gives_key_names_only() -> None:
    hidden = parse_hidden(HIDDEN)
    assert hidden.ok and hidden.findings == ()
    assert hidden.keys == ("account", "FS_DISCOVERY_APP_KEY", "PAYMENT_TOKEN")


def test_a_hidden_file_that_is_not_sops() -> None:
    hidden = parse_hidden('{"account": "shop", "TOKEN": "@SECRET@"}'.replace("@SECRET@", SECRET))
    assert codes(hidden.findings) == ["legacy-not-sops"]
    assert hidden.keys == ()
    no_value_in(hidden.findings, SECRET)


def test_a_plain_value_in_the_hidden_file_is_a_warning() -> None:
    document = json.loads(HIDDEN)
    document["PAYMENT_TOKEN"] = SECRET
    hidden = parse_hidden(json.dumps(document, indent=2))
    [finding] = hidden.findings
    assert finding.code == "legacy-not-encrypted" and finding.severity is Severity.WARNING
    assert finding.key == "PAYMENT_TOKEN" and finding.line == 4
    assert "PAYMENT_TOKEN" in hidden.keys
    no_value_in(hidden.findings, SECRET)


def test_hidden_invalid_json_and_bad_keys() -> None:
    assert codes(parse_hidden("{").findings) == ["legacy-invalid-json"]
    document = json.loads(HIDDEN)
    document["bad key"] = "ENC[AES256_GCM,data:eA==]"
    document["COUNT"] = 1
    hidden = parse_hidden(json.dumps(document))
    assert sorted(codes(hidden.findings)) == ["key-invalid", "legacy-not-a-string"]
    assert "bad key" not in hidden.keys and "COUNT" not in hidden.keys


def test_files_on_disk(tmp_path: Path) -> None:
    (tmp_path / "secrets.revealed.json").write_text(REVEALED)
    (tmp_path / "secrets.hidden.json").write_bytes(b"\xff\xfe")
    assert read_revealed(tmp_path / "secrets.revealed.json").ok
    [finding] = read_hidden(tmp_path / "secrets.hidden.json").findings
    assert finding.code == "legacy-unreadable" and "not UTF-8" in finding.message
    [missing] = read_revealed(tmp_path / "nope.json").findings
    assert missing.code == "legacy-unreadable"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=200), json_values.map(json.dumps)))
def test_any_text_gives_findings_never_a_crash(text: str) -> None:
    for result in (parse_revealed(text), parse_hidden(text)):
        for finding in result.findings:
            assert finding.message and finding.code.startswith(("legacy-", "key-"))


key_names = st.from_regex(r"[A-Z_][A-Z0-9_]{0,20}", fullmatch=True).filter(
    lambda key: not validate_key(key)
)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(key_names, st.text(max_size=30).map("v@l:".__add__), max_size=8))
def test_good_files_read_back_and_messages_never_hold_values(entries: dict[str, str]) -> None:
    revealed = parse_revealed(json.dumps({"account": "shop", **entries}, indent=2))
    assert revealed.values == {"account": "shop", **entries}
    assert revealed.findings == ()
    broken = parse_revealed(json.dumps({**entries, "BAD KEY": 1}))
    assert [f.code for f in broken.findings] == [
        "key-invalid",
        "legacy-not-a-string",
        "legacy-no-account",
    ]
    assert not any("v@l:" in finding.message for finding in broken.findings)
