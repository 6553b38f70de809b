"""The one JSON reader: size, depth, duplicates, constants, encoding, each refused with its code."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkkit._json import DEFAULT_MAX_DEPTH, read_json
from linkkit.errors import JSONInputError, LinkKitError

_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)


@given(_JSON_VALUES)
def test_reads_what_json_writes(value: object) -> None:
    text = json.dumps(value)
    assert read_json(text) == value
    assert read_json(text.encode()) == value


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b'{"alg":"none","alg":"RS256"}', "invalid"),
        (b"NaN", "invalid"),
        (b'{"a":Infinity}', "invalid"),
        (b'{"a":-Infinity}', "invalid"),
        (b"{", "invalid"),
        (b"", "invalid"),
        (b"\xff\xfe", "not_utf8"),
        (b"[" * (DEFAULT_MAX_DEPTH + 1) + b"]" * (DEFAULT_MAX_DEPTH + 1), "too_deep"),
        (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "too_deep"),
    ],
)
def test_refusals_have_their_code(data: bytes, code: str) -> None:
    with pytest.raises(JSONInputError) as caught:
        read_json(data, what="the body")
    assert caught.value.code == code
    assert str(caught.value).startswith("the body: ")
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, LinkKitError)


def test_depth_limit_is_exact() -> None:
    assert read_json("[" * 5 + "]" * 5, max_depth=5) == [[[[[]]]]]
    with pytest.raises(JSONInputError):
        read_json("[" * 6 + "]" * 6, max_depth=5)


def test_brackets_inside_strings_do_not_nest() -> None:
    text = json.dumps({"a": "[" * 500 + "{" * 500 + '\\"['})
    assert read_json(text, max_depth=2)["a"].startswith("[[")


def test_size_limit_is_exact() -> None:
    assert read_json(b'"' + b"a" * 8 + b'"', max_bytes=10) == "a" * 8
    with pytest.raises(JSONInputError) as caught:
        read_json(b'"' + b"a" * 9 + b'"', max_bytes=10)
    assert caught.value.code == "too_large"


def test_messages_never_quote_the_value() -> None:
    secret = "s3cr3t-refid-value"
    for bad in (f'{{"x": "{secret}" ', f'{{"{secret}"}}', f'["{secret}", NaN]'):
        with pytest.raises(JSONInputError) as caught:
            read_json(bad)
        assert secret not in str(caught.value)


@given(st.binary(max_size=200))
def test_any_bytes_give_a_value_or_a_json_input_error(data: bytes) -> None:
    try:
        read_json(data)
    except JSONInputError:
        pass
