"""One spelling per byte string: the strict base64url decoder every token check stands on."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkkit._b64 import b64url_decode, b64url_encode

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@given(st.binary(max_size=300))
def test_round_trip(data: bytes) -> None:
    assert b64url_decode(b64url_encode(data)) == data


@given(st.binary(min_size=1, max_size=64), st.integers(min_value=1, max_value=63))
def test_only_the_canonical_spelling_decodes(data: bytes, shift: int) -> None:
    text = b64url_encode(data)
    variant = text[:-1] + _ALPHABET[(_ALPHABET.index(text[-1]) + shift) % 64]
    lax = base64.urlsafe_b64decode(variant + "=" * (-len(variant) % 4))
    try:
        decoded = b64url_decode(variant)
    except ValueError:
        return
    # whatever decodes is a different byte string: no second spelling of ``data`` gets through
    assert decoded == lax != data


def test_the_sixteen_spellings_of_one_signature_byte_pair_decode_once() -> None:
    # 1 byte leaves 4 unused bits: "AA" is canonical, "AB" .. "AP" are the same byte to a lax decoder.
    assert b64url_decode("AA") == b"\x00"
    for char in _ALPHABET[1:16]:
        assert base64.urlsafe_b64decode("A" + char + "==") == b"\x00"
        with pytest.raises(ValueError):
            b64url_decode("A" + char)


@pytest.mark.parametrize(
    "text",
    ["AA==", "AA=", " AA", "AA ", "AA\t", "AA\n", "A A", "A+/A", "A", "AAAAA", "Ä", "AA.AA"],
)
def test_refused_spellings(text: str) -> None:
    with pytest.raises(ValueError):
        b64url_decode(text)


def test_not_text_is_refused() -> None:
    with pytest.raises(ValueError):
        b64url_decode(b"AA")  # type: ignore[arg-type]
