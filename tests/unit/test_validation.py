"""Key rules and value lints: the right finding for each mistake, and never a value in a message."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from faststore_desktop.core.entries import EntryType
from faststore_desktop.core.validation import (
    MAX_KEY_LENGTH,
    MAX_VALUE_BYTES,
    RESERVED_KEYS,
    Finding,
    Severity,
    has_errors,
    lint_entry,
    lint_value,
    looks_sensitive,
    validate_key,
)

TEXT, SECRET = EntryType.TEXT, EntryType.SECRET
PEM = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"
    "VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n"
    "-----END PRIVATE KEY-----\n"
)


def codes(findings: list[Finding]) -> list[str]:
    return [finding.code for finding in findings]


def the(code: str, findings: list[Finding]) -> Finding:
    (finding,) = [finding for finding in findings if finding.code == code]
    return finding


# -- keys -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "FS_DISCOVERY_APP_KEY",
        "FS_DISCOVERY_APP_TOKEN",
        "VTEX_ACCOUNT",
        "_PRIVATE",
        "a",
        "camelCase9",
        "PATH_PREFIX",
        "HOMEPAGE_URL",
        "NEXT_PUBLIC_STORE_URL",
        "X" * MAX_KEY_LENGTH,
    ],
)
def test_a_good_key_has_no_finding(key: str) -> None:
    assert validate_key(key) == []
    assert lint_entry(key, TEXT, "value") == []


def test_an_empty_key_is_an_error() -> None:
    assert codes(validate_key("")) == ["key-empty"]


def test_a_key_over_the_length_limit_is_an_error() -> None:
    (finding,) = validate_key("K" * (MAX_KEY_LENGTH + 1))
    assert (finding.severity, finding.code) == (Severity.ERROR, "key-too-long")
    assert f"{MAX_KEY_LENGTH + 1} characters" in finding.message
    assert str(MAX_KEY_LENGTH) in finding.message


@pytest.mark.parametrize(
    ("key", "where"),
    [
        ("MY-KEY", "'-' at character 3"),
        ("MY KEY", "a space at character 3"),
        ("KEY\n", "a whitespace character at character 4"),
        ("CAFÉ", "'É' at character 4"),
        ("A\u200bB", "an invisible character (U+200B) at character 2"),
        ("1KEY", "must not start with a digit"),
    ],
)
def test_an_invalid_key_says_which_character_is_wrong(key: str, where: str) -> None:
    (finding,) = validate_key(key)
    assert (finding.severity, finding.code, finding.key) == (Severity.ERROR, "key-invalid", key)
    assert where in finding.message


@pytest.mark.parametrize("key", ["NODE_ENV", "PATH", "Path", "home", "NODE_OPTIONS", "LD_PRELOAD"])
def test_a_key_the_build_platform_owns_is_reserved(key: str) -> None:
    (finding,) = validate_key(key)
    assert (finding.severity, finding.code) == (Severity.ERROR, "key-reserved")
    assert key in finding.message


@pytest.mark.parametrize(
    "key", ["__NEXT_PRIVATE_X", "npm_config_registry", "DYLD_INSERT_LIBRARIES"]
)
def test_a_key_in_a_reserved_family_is_reserved(key: str) -> None:
    assert codes(validate_key(key)) == ["key-reserved"]


def test_every_reserved_key_is_itself_a_valid_name() -> None:
    for key in RESERVED_KEYS:
        assert re.fullmatch(r"[A-Z_][A-Z0-9_]*", key), key


@settings(max_examples=200)
@given(st.text(max_size=MAX_KEY_LENGTH + 5))
def test_validate_key_accepts_exactly_the_documented_keys(key: str) -> None:
    acceptable = (
        re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) is not None
        and len(key) <= MAX_KEY_LENGTH
        and key.upper() not in RESERVED_KEYS
        and not key.upper().startswith(("__NEXT_", "NPM_CONFIG_", "DYLD_"))
    )
    findings = validate_key(key)
    assert (findings == []) == acceptable
    assert all(finding.severity is Severity.ERROR for finding in findings)


# -- names that look sensitive ----------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "FS_DISCOVERY_APP_KEY",
        "FS_DISCOVERY_APP_TOKEN",
        "STRIPE_SECRET",
        "DB_PASSWORD",
        "DB_PWD",
        "PRIVATE_KEY",
        "GOOGLE_API_KEY",
        "AWS_ACCESS_KEY_ID",
        "nextPublicApiKey",
        "githubAccessToken",
        "SMTP_PASS",
        "OAUTH_CLIENT_SECRET",
        "JWT",
    ],
)
def test_credential_names_look_sensitive(key: str) -> None:
    assert looks_sensitive(key)


@pytest.mark.parametrize(
    "key", ["VTEX_ACCOUNT", "STORE_URL", "KEYWORDS", "BYPASS_CACHE", "PASSAGE", "PATH_NAME"]
)
def test_ordinary_names_do_not_look_sensitive(key: str) -> None:
    assert not looks_sensitive(key)


# -- NEXT_PUBLIC_ -----------------------------------------------------------------------------


def test_a_public_key_cannot_be_a_secret() -> None:
    findings = lint_entry("NEXT_PUBLIC_ANALYTICS_ID", SECRET, "G-123456")
    assert codes(findings) == ["next-public-secret"]
    assert findings[0].severity is Severity.ERROR
    assert "every browser" in findings[0].message


def test_a_public_key_with_a_credential_name_asks_for_confirmation() -> None:
    findings = lint_entry("NEXT_PUBLIC_API_TOKEN", TEXT, "abcdef")
    assert codes(findings) == ["next-public-sensitive"]
    assert findings[0].severity is Severity.WARNING
    assert findings[0].key == "NEXT_PUBLIC_API_TOKEN"


def test_a_public_secret_with_a_credential_name_reports_only_the_error() -> None:
    assert codes(lint_entry("NEXT_PUBLIC_API_TOKEN", SECRET, "abcdef")) == ["next-public-secret"]


def test_the_public_prefix_itself_does_not_look_sensitive() -> None:
    assert lint_entry("NEXT_PUBLIC_STORE_ID", TEXT, "abc") == []


def test_an_unknown_type_skips_the_secret_rule_but_keeps_the_name_rule() -> None:
    assert lint_entry("NEXT_PUBLIC_ANALYTICS_ID", None, "G-1") == []
    assert codes(lint_entry("NEXT_PUBLIC_API_KEY", None, "k")) == ["next-public-sensitive"]


def test_a_lowercase_prefix_is_not_public() -> None:
    # Next.js matches the prefix exactly: next_public_ keys stay on the server.
    assert lint_entry("next_public_api_token", SECRET, "abcdef") == []


# -- keys differing only by case --------------------------------------------------------------


def test_a_key_differing_only_by_case_from_another_is_an_error() -> None:
    findings = lint_entry("Api_Url", TEXT, "x", existing_keys=["API_URL", "Api_Url", "OTHER"])
    finding = the("key-case-clash", findings)
    assert finding.severity is Severity.ERROR
    assert "API_URL" in finding.message
    assert len(findings) == 1  # the key itself is not a clash


def test_each_other_spelling_is_reported() -> None:
    findings = lint_entry("api_url", TEXT, "x", existing_keys=["API_URL", "Api_Url"])
    assert codes(findings) == ["key-case-clash", "key-case-clash"]


# -- values -----------------------------------------------------------------------------------


def test_an_empty_value_is_a_warning() -> None:
    (finding,) = lint_value("")
    assert (finding.severity, finding.code) == (Severity.WARNING, "value-empty")


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (" token", "starts with whitespace"),
        ("token\t", "ends with whitespace"),
        ("token\n", "ends with whitespace"),
        ("\ntoken ", "starts and ends with whitespace"),
        ("  \n ", "only whitespace"),
    ],
)
def test_whitespace_at_either_end_is_a_warning(value: str, says: str) -> None:
    (finding,) = lint_value(value)
    assert (finding.severity, finding.code) == (Severity.WARNING, "value-whitespace")
    assert says in finding.message


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ("abcd\nefgh", "character 5"),
        ("abcd\r\nefgh", "character 5"),
        ("ab\ncd\nef", "character 3 (2 in all)"),
    ],
)
def test_a_line_break_inside_a_one_line_value_is_a_paste_accident(value: str, where: str) -> None:
    (finding,) = lint_value(value)
    assert (finding.severity, finding.code) == (Severity.WARNING, "value-line-break")
    assert where in finding.message


@pytest.mark.parametrize(
    "value",
    [
        PEM,
        PEM.replace("\n", "\r\n"),
        '{\n  "account": "store",\n  "ids": [1, 2]\n}',
        '[\n"a",\n"b"\n]',
        "Dear customer,\nyour order is on its way.\n",
    ],
)
def test_genuinely_multi_line_values_are_fine(value: str) -> None:
    assert lint_value(value) == []


def test_broken_json_on_several_lines_still_looks_like_a_paste_accident() -> None:
    assert codes(lint_value("{abc\ndef}")) == ["value-line-break"]


@pytest.mark.parametrize("quote", ['"', "'", "`"])
def test_quotes_pasted_around_the_value_are_a_warning(quote: str) -> None:
    (finding,) = lint_value(f"{quote}token{quote}")
    assert (finding.severity, finding.code) == (Severity.WARNING, "value-quoted")


@pytest.mark.parametrize("value", ['"token', "token'", "\"token'", "it's a value", '"'])
def test_unmatched_or_inner_quotes_are_fine(value: str) -> None:
    assert lint_value(value) == []


def test_a_nul_is_an_error_naming_its_position() -> None:
    (finding,) = lint_value("abc\x00def\x00")
    assert (finding.severity, finding.code) == (Severity.ERROR, "value-nul")
    assert "character 4 (2 in all)" in finding.message


@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x7f", "\x85"])
def test_a_control_character_is_a_warning(char: str) -> None:
    (finding,) = lint_value(f"ab{char}cd")
    assert (finding.severity, finding.code) == (Severity.WARNING, "value-control-character")
    assert "character 3" in finding.message


@pytest.mark.parametrize("char", ["\u200b", "\ufeff", "\u202e", "\u00ad"])
def test_an_invisible_formatting_character_is_a_warning(char: str) -> None:
    assert codes(lint_value(f"{char}token")) == ["value-invisible-character"]


def test_a_lone_surrogate_is_an_error() -> None:
    (finding,) = lint_value("tok\ud800en")
    assert (finding.severity, finding.code) == (Severity.ERROR, "value-broken-text")


def test_a_tab_inside_and_non_latin_text_are_fine() -> None:
    assert lint_value("col1\tcol2 — café 東京 🚀") == []


def test_positions_in_a_multi_line_value_are_a_line_and_column() -> None:
    finding = the("value-nul", lint_value("first line\nsecond\x00line"))
    assert "line 2, column 7" in finding.message


def test_a_value_of_64_kib_is_allowed_and_one_byte_more_is_an_error() -> None:
    assert lint_value("x" * MAX_VALUE_BYTES) == []
    (finding,) = lint_value("x" * (MAX_VALUE_BYTES + 1))
    assert (finding.severity, finding.code) == (Severity.ERROR, "value-too-large")
    assert "65,537 bytes" in finding.message


def test_the_size_limit_counts_utf8_bytes_not_characters() -> None:
    value = "é" * (MAX_VALUE_BYTES // 2 + 1)  # fewer characters than the limit, more bytes
    assert codes(lint_value(value)) == ["value-too-large"]


def test_lint_entry_tags_value_findings_with_the_key() -> None:
    findings = lint_entry("API_URL", TEXT, " x")
    assert [(f.code, f.key) for f in findings] == [("value-whitespace", "API_URL")]


# -- change sets ------------------------------------------------------------------------------


def test_has_errors_ignores_warnings() -> None:
    assert not has_errors(lint_value(" x"))
    assert not has_errors([])
    assert has_errors(lint_value("\x00x"))


# -- no value in any message ------------------------------------------------------------------

KEYS = ["API_URL", "NEXT_PUBLIC_API_TOKEN", "NEXT_PUBLIC_ID", "PATH", "MY-KEY", "api_url"]
TYPES = [TEXT, SECRET, None]
#: Values that set off every rule: the fixed wording of the messages is made of these.
PROBES = ["", " ", " x", "a\nb", '"x"', "a\x00\x01\u200b\ud800", "x" * (MAX_VALUE_BYTES + 1)]


def all_messages(value: str) -> list[str]:
    return [
        finding.message
        for key in KEYS
        for type in TYPES
        for finding in lint_entry(key, type, value, existing_keys=["API_URL", "Api_Url"])
    ]


VOCABULARY = "\n".join(message for probe in PROBES for message in all_messages(probe))

any_text = st.text(st.characters(exclude_categories=[]), min_size=4, max_size=40)
pasted = st.builds(
    lambda before, core, after: before + core + after,
    st.sampled_from(["", " ", "\n", '"', "'", "\x00", "\u200b", "\t"]),
    any_text,
    st.sampled_from(["", " ", "\n", '"', "'", "\x1b", "\r\n"]),
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(any_text, pasted, st.text(min_size=4)))
def test_no_message_ever_contains_the_value(value: str) -> None:
    # A value that is a piece of the fixed wording ("the value") would match without leaking.
    assume(value not in VOCABULARY)
    for message in all_messages(value):
        assert value not in message
