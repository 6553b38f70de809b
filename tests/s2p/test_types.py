"""The data types of Samsung's Save to Pay API."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkkit.s2p.types import (
    Boolean,
    CountryCode,
    Enum,
    Object,
    PhoneNumber,
    String,
    Timestamp,
    Url,
    Uuid,
    url_problem,
)

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
KINDS = [
    String(),
    String(4),
    Boolean(),
    Object(),
    Enum(("A", "B_2")),
    PhoneNumber(),
    Uuid(),
    Url(),
    Timestamp(),
    CountryCode(),
]


def test_string_size_is_a_maximum_in_characters():
    assert String().check("é" * 2048) is None
    assert String().check("x" * 2049) == "must be at most 2048 characters (got 2049)"
    assert String(4).check("1234") is None
    assert String(4).check("12345") == "must be at most 4 characters (got 5)"
    assert String().check(5) == "must be a string"


def test_boolean_is_json_true_or_false_only():
    assert Boolean().check(True) is None and Boolean().check(False) is None
    for value in (0, 1, "true", None):
        assert Boolean().check(value) == "must be true or false"


def test_object():
    assert Object().check({}) is None
    assert Object().check([]) == "must be a JSON object"


def test_enum_needs_the_pattern_and_a_listed_value():
    kind = Enum(("PENDING", "LINKED"))
    assert kind.check("LINKED") is None
    for value in ("linked", "LINKED ", "", "X" * 257, 3):
        assert kind.check(value) == "must be one of PENDING, LINKED"
    assert kind.name == "Enum - PENDING, LINKED"


@pytest.mark.parametrize("value", ["+1(555)0100", "0049-30-1234", "12345"])
def test_phone_number_accepts_the_pattern(value):
    assert PhoneNumber().check(value) is None


@pytest.mark.parametrize("value", ["", "+1 555 0100", "555.0100", "tel:5550100", "12a"])
def test_phone_number_refuses_other_characters(value):
    assert PhoneNumber().check(value) == "must match [0-9+()-]+ (digits, +, (, ), -)"


def test_uuid_is_26_to_128_characters_of_the_pattern():
    assert Uuid().check("3f1c2a9e-8b7d-4c6e-9a0b-1d2e3f4a5b6c") is None
    assert Uuid().check("a" * 26) is None and Uuid().check("_" * 128) is None
    for value in ("a" * 25, "a" * 129, "3f1c2a9e 8b7d 4c6e 9a0b 1d2e3f4a5b6c", "é" * 30, None):
        assert Uuid().check(value) == "must be 26 to 128 characters of a-z, A-Z, 0-9, - and _"


@pytest.mark.parametrize(
    "value",
    [
        "https://bank.example/art.png",
        "http://127.0.0.1:8080/cb?x=1&y=%20#top",
        "https://[::1]:8443/notify",
        "HTTPS://BANK.EXAMPLE/",
    ],
)
def test_url_accepts_absolute_http_urls(value):
    assert Url().check(value) is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("/relative/path", "must be an absolute http(s) URL"),
        ("ftp://bank.example/x", "must be an absolute http(s) URL"),
        ("javascript:alert(1)", "must be an absolute http(s) URL"),
        ("https:///nohost", "must be an absolute http(s) URL"),
        ("https://bank.example/a b", "with only RFC 2396 characters"),
        ("https://bank.example/<x>", "with only RFC 2396 characters"),
        ("https://bank.example/é", "with only RFC 2396 characters"),
        ("https://bank.example/%zz", "with only RFC 2396 characters"),
        ("https://bank.example:99999/", "the host or port does not parse"),
        ("https://bank.example/" + "a" * 2030, "must be at most 2048 characters (got 2051)"),
    ],
)
def test_url_refuses(value, reason):
    problem = url_problem(value)
    assert problem is not None and reason in problem


def test_timestamp_is_an_int64():
    assert Timestamp().check(1_795_000_000_000) is None
    assert Timestamp().check(-(2**63)) is None
    for value in (2**63, 1.5, True, "1795000000000"):
        assert Timestamp().check(value) == "must be an integer of epoch milliseconds (int64)"


def test_country_code_is_at_most_two_characters():
    assert CountryCode().check("KR") is None
    assert CountryCode().check("KOR") == "must be at most 2 characters (got 3)"


@given(JSON)
def test_checkers_never_raise_and_never_echo_the_value(value):
    for kind in KINDS:
        reason = kind.check(value)
        assert reason is None or isinstance(reason, str)
        if reason and isinstance(value, str) and len(value) > 3:
            assert value not in reason
