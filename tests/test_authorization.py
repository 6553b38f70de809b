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


# -- one check each (mutation testing: each input passes every other check) ---------------------------


def _authorization_of_length(n: int) -> str:
    """``Bearer <token>`` of exactly ``n`` characters, a shape the parser reads."""
    head = "Bearer eyJhbGciOiJSUzI1NiJ9.eyJBUEkiOnt9fQ."
    return head + "A" * (n - len(head))


def test_the_length_limit_is_64_kib_plus_the_scheme_exactly() -> None:
    from linkkit.authorization import MAX_AUTHORIZATION_LENGTH

    assert MAX_AUTHORIZATION_LENGTH == 65536 + len("Bearer ")
    longest = _authorization_of_length(65536 + len("Bearer "))
    assert parse_authorization(longest) == longest.removeprefix("Bearer ")
    with pytest.raises(MalformedTokenError, match="longer than"):  # well-formed, one character too long
        parse_authorization(_authorization_of_length(65536 + len("Bearer ") + 1))


def test_text_is_required_even_when_it_would_match() -> None:
    class Text:  # not a str, though its str() is a token
        def __str__(self) -> str:
            return TOKEN

    with pytest.raises(MalformedTokenError, match="text"):
        parse_authorization(Text())
    with pytest.raises(MalformedTokenError, match="text"):
        compact_token(Text())


def test_compact_token_sends_every_whitespace_form_to_the_parser() -> None:
    # A bare value is returned untouched; with whitespace it must be what parse_authorization reads.
    assert compact_token(TOKEN) == TOKEN
    assert compact_token(" " + TOKEN) == TOKEN
    for value in ("Bearer " + TOKEN + "\n", "a.b.c\r", "\x0ba.b.c"):
        with pytest.raises(MalformedTokenError, match="compact JWS"):
            compact_token(value)
