"""serialize_card: the compact UTF-8 JSON that the Card Data Token encrypts."""

from __future__ import annotations

import json
import math

import pytest

from linkkit.cards import serialize_card
from linkkit.errors import ValidationError

from ._examples import make_card


def test_compact_separators_and_utf8() -> None:
    card = make_card(title="골드 회원 ☕")
    data = serialize_card(card)
    assert isinstance(data, bytes)
    assert data == json.dumps(card, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    assert b", " not in data and b": " not in data
    assert "골드 회원 ☕".encode() in data and b"\\u" not in data
    assert json.loads(data) == card


def test_key_order_is_kept() -> None:
    assert serialize_card({"b": 1, "a": [1, 2]}) == b'{"b":1,"a":[1,2]}'


def test_json_string_attributes_keep_their_escapes() -> None:
    card = make_card(csInfo='{"call":"555"}')
    assert b'"csInfo":"{\\"call\\":\\"555\\"}"' in serialize_card(card)


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_non_finite_numbers_are_bad_data(value: float) -> None:
    with pytest.raises(ValidationError, match="has no JSON form"):
        serialize_card({"card": {"x": value}})


def test_lone_surrogate_is_bad_data() -> None:
    with pytest.raises(ValidationError, match="lone surrogate"):
        serialize_card({"title": "\ud800"})


def test_deep_nesting_is_bad_data() -> None:
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(ValidationError, match="nested too deeply"):
        serialize_card(deep)


def test_non_json_types_are_a_programming_error() -> None:
    with pytest.raises(TypeError):
        serialize_card({"when": {1, 2}})
