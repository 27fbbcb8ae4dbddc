"""Masking build output: every form of a value (plain, base64, URL-encoded, JSON-escaped), any
overlap between values, and short values left alone."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faststore_desktop.core.leakscan import encoded_forms
from faststore_desktop.webops.local.masking import MASK, MASK_MIN_LENGTH, LineMask

CANARY = 'canary-7f3a/"é+ &<x>'


def forms_left(text: str, value: str) -> list[str]:
    """The forms of `value` still readable in `text`."""
    needles = [needle.decode("utf-8", "surrogatepass") for _, needle in encoded_forms(value)]
    return [needle for needle in needles if needle in text]


@pytest.mark.parametrize(
    "printed",
    [
        CANARY,
        base64.b64encode(CANARY.encode()).decode(),
        base64.urlsafe_b64encode(CANARY.encode()).decode(),
        quote(CANARY, safe=""),
        quote(CANARY, safe="-_.!~*'()"),  # encodeURIComponent
        quote(CANARY, safe="-_.!~*'()").lower(),
        quote_plus(CANARY),
        json.dumps(CANARY),
        json.dumps(CANARY, ensure_ascii=False),
        json.dumps(CANARY).replace("/", "\\/"),
    ],
    ids=[
        "plain",
        "base64",
        "base64url",
        "quote",
        "encodeURIComponent",
        "lower-hex",
        "form",
        "json-ascii",
        "json",
        "json-escaped-slash",
    ],
)
def test_every_form_of_a_value_is_masked(printed: str) -> None:
    masked = LineMask([CANARY])(f"token={printed} done")

    assert masked.startswith("token=") and masked.endswith(" done")
    assert MASK in masked
    assert forms_left(masked, CANARY) == []
    assert printed not in masked


@pytest.mark.parametrize("alignment", [0, 1, 2])
def test_a_value_inside_a_larger_base64_blob_is_masked(alignment: int) -> None:
    blob = base64.b64encode(b"x" * alignment + b"token=" + CANARY.encode() + b";").decode()

    masked = LineMask([CANARY])(f"config: {blob}")

    assert MASK in masked
    assert forms_left(masked, CANARY) == []


def test_values_shorter_than_the_minimum_are_left_alone() -> None:
    short, enough = "on1", "k3y!"
    assert len(short) < MASK_MIN_LENGTH == len(enough)
    mask = LineMask([short, enough])

    assert mask("debug=on1 key=k3y!") == f"debug=on1 key={MASK}"
    assert mask(base64.b64encode(b"k3y!").decode()).count(MASK) == 1


def test_overlapping_values_are_masked_as_one_span() -> None:
    mask = LineMask(["abcdef12", "ef12ghij"])

    assert mask("<abcdef12ghij>") == f"<{MASK}>"
    assert mask("<abcdef12> <ef12ghij>") == f"<{MASK}> <{MASK}>"


def test_the_longest_value_starting_at_a_place_wins() -> None:
    mask = LineMask(["secret-value", "secret-value-2"])

    assert mask("a secret-value-2 b") == f"a {MASK} b"


def test_each_line_of_a_multi_line_value_is_masked() -> None:
    pem = "-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\nBKcwggSjAgEAAoIBAQC7\n-----END KEY-----"
    mask = LineMask([pem])

    for line in pem.splitlines():
        assert mask(f"  {line}") == f"  {MASK}"


def test_a_line_without_a_value_is_returned_as_it_is() -> None:
    line = "info  - Compiled successfully in 2.1s"
    assert LineMask([CANARY])(line) is line
    assert LineMask([])(line) is line


def test_the_mask_never_prints_its_values() -> None:
    mask = LineMask([CANARY, "another-secret"])

    assert repr(mask) == str(mask) == "LineMask(2 values)"


def test_a_long_value_of_64_kib_compiles_and_is_masked() -> None:
    value = "v" + "0123456789abcdef" * 4096
    mask = LineMask([value])

    assert mask(f"[{base64.b64encode(value.encode()).decode()}]").count(MASK) == 1


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(
        st.text(
            st.characters(
                codec="utf-8", exclude_characters="•\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
            ),
            min_size=MASK_MIN_LENGTH,
        ),
        min_size=1,
        max_size=4,
    ),
    prefix=st.text(max_size=8),
    suffix=st.text(max_size=8),
    form=st.integers(min_value=0, max_value=31),
    pick=st.integers(min_value=0, max_value=3),
)
def test_no_form_of_any_value_survives_whatever_surrounds_it(
    values: list[str], prefix: str, suffix: str, form: int, pick: int
) -> None:
    value = values[pick % len(values)]
    printed = [needle for _, needle in encoded_forms(value)]
    line = prefix + printed[form % len(printed)].decode("utf-8", "surrogatepass") + suffix

    masked = LineMask(values)(line)

    for each in values:
        assert forms_left(masked, each) == []
