"""The one Authorization parser: what Samsung sends, and nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkkit.authorization import compact_token, parse_authorization
from linkkit.errors import MalformedTokenError, TokenError

TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJBUEkiOnt9fQ.c2lnbmF0dXJl"


@pytest.mark.parametrize(
    "value", [TOKEN, "Bearer " + TOKEN, "bearer " + TOKEN, "BEARER " + TOKEN, " Bearer " + TOKEN + "\t"]
)
def test_what_samsung_sends_is_read(value: str) -> None:
    # The scheme is optional (Samsung: "can have prefix Bearer") and case-insensitive (RFC 9110 §11.1);
    # whitespace around a field value is not part of it (RFC 9110 §5.5).
    assert parse_authorization(value) == TOKEN


@pytest.mark.parametrize(
    "value",
    [
        "",
        "Bearer",
        "Bearer ",
        "Bearer  " + TOKEN,
        "Bearer\t" + TOKEN,
        "Basic " + TOKEN,
        "Token " + TOKEN,
        f"Bearer {TOKEN}, Bearer {TOKEN}",
        TOKEN + "==",
        TOKEN + ".x",
        TOKEN.replace(".", ". "),
        "Bearer " + TOKEN + "\x0b",
        "Bearer " + TOKEN + "\u00a0",
        "x" * 70_000,
        None,
        b"Bearer " + TOKEN.encode(),
    ],
)
def test_anything_else_is_malformed(value: object) -> None:
    with pytest.raises(MalformedTokenError) as caught:
        parse_authorization(value)
    assert caught.value.code == "malformed"


def test_compact_token_passes_bare_tokens_on_for_the_decoder_to_explain() -> None:
    assert compact_token("a.b.c.d.e") == "a.b.c.d.e"  # the JOSE decoder names the segment count
    assert compact_token("Bearer " + TOKEN) == TOKEN
    with pytest.raises(MalformedTokenError):
        compact_token("Bearer  " + TOKEN)


@given(st.text(max_size=200))
def test_every_refusal_is_a_token_error(value: str) -> None:
    try:
        token = parse_authorization(value)
    except TokenError:
        return
    assert token.count(".") == 2 and token in value
