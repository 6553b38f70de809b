"""signedAtwLink: signed by Samsung's key, verified with its certificate, 5-minute limit."""

from __future__ import annotations

import pytest

from linkkit import errors
from linkkit._b64 import b64url_decode, b64url_encode
from linkkit.atw_signature import sign_atw_link, verify_signed_atw_link
from linkkit.identity import new_rsa_key
from linkkit.keys import public_key_of

from .conftest import NOW

LINK = "https://a.swallet.link/atw/v3/YMtt/c1#Clip?adata=user_auth"


def test_round_trip_and_format(identity, clock):
    value = sign_atw_link(LINK, identity.samsung_key, clock=lambda: NOW)
    decoded = b64url_decode(value).decode()
    assert decoded.startswith(f"{LINK}&ts={int(NOW * 1000)}&sig=") and "=" not in value
    result = verify_signed_atw_link(value, public_key_of(identity.samsung_cert), clock=clock)
    assert result.atw_link == LINK and result.ts_ms == int(NOW * 1000)


def test_age_limit(identity, clock):
    value = sign_atw_link(LINK, identity.samsung_key, clock=lambda: NOW - 301)
    with pytest.raises(errors.TokenExpiredError):
        verify_signed_atw_link(value, public_key_of(identity.samsung_cert), clock=clock)
    verify_signed_atw_link(value, public_key_of(identity.samsung_cert), clock=clock, max_age=600)
    future = sign_atw_link(LINK, identity.samsung_key, clock=lambda: NOW + 60)
    with pytest.raises(errors.TokenFromFutureError):
        verify_signed_atw_link(future, public_key_of(identity.samsung_cert), clock=clock)


def test_tampering_and_other_signers(identity, clock):
    good = b64url_decode(sign_atw_link(LINK, identity.samsung_key, clock=lambda: NOW)).decode()
    key = public_key_of(identity.samsung_cert)
    for bad in (good.replace("c1", "c2"), good.replace(f"ts={int(NOW * 1000)}", f"ts={int(NOW * 1000) + 1}")):
        with pytest.raises(errors.BadSignatureError):
            verify_signed_atw_link(b64url_encode(bad.encode()), key, clock=clock)
    with pytest.raises(errors.BadSignatureError):
        verify_signed_atw_link(sign_atw_link(LINK, new_rsa_key(), clock=lambda: NOW), key, clock=clock)


@pytest.mark.parametrize("value", ["", "!!", b64url_encode(b"no tail"), b64url_encode(b"x&ts=1&sig=***"), "x" * 20000])
def test_malformed(identity, value):
    with pytest.raises(errors.MalformedTokenError):
        verify_signed_atw_link(value, public_key_of(identity.samsung_cert))


# -- one check each (mutation testing: each input passes every other check) ---------------------------


def test_the_limits_are_inclusive_300_s_old_and_5_s_ahead(identity, clock):
    key = public_key_of(identity.samsung_cert)
    oldest = sign_atw_link(LINK, identity.samsung_key, clock=lambda: NOW - 300)
    assert verify_signed_atw_link(oldest, key, clock=clock).ts_ms == int((NOW - 300) * 1000)
    ahead = sign_atw_link(LINK, identity.samsung_key, clock=lambda: NOW + 5)
    assert verify_signed_atw_link(ahead, key, clock=clock).ts_ms == int((NOW + 5) * 1000)
    with pytest.raises(errors.TokenFromFutureError):
        verify_signed_atw_link(sign_atw_link(LINK, identity.samsung_key, clock=lambda: NOW + 5.001), key, clock=clock)


def _signed_link_of_length(identity, n: int) -> str:
    """A correctly signed link whose base64url text is ``n`` characters long."""
    sig_chars = 342  # a 2048-bit RS256 signature in base64url
    tail = len(f"&ts={int(NOW * 1000)}&sig=") + sig_chars
    size = (3 * n) // 4  # bytes whose unpadded base64url is n characters (n % 4 != 1)
    value = sign_atw_link(LINK + "x" * (size - tail - len(LINK)), identity.samsung_key, clock=lambda: NOW)
    assert len(value) == n
    return value


def test_the_length_limit_is_16384_characters(identity, clock):
    key = public_key_of(identity.samsung_cert)
    assert verify_signed_atw_link(_signed_link_of_length(identity, 16384), key, clock=clock).ts_ms
    with pytest.raises(errors.MalformedTokenError, match="base64url text"):  # correctly signed, too long
        verify_signed_atw_link(_signed_link_of_length(identity, 16386), key, clock=clock)
    # 16385 characters can be no base64url: the length check refuses it before the decoder sees it
    with pytest.raises(errors.MalformedTokenError, match="base64url text"):
        verify_signed_atw_link("A" * 16385, key, clock=clock)


@pytest.mark.parametrize("value", [None, b"aHR0cHM6Ly9h", 12])
def test_text_is_required(identity, value):
    with pytest.raises(errors.MalformedTokenError, match="base64url text"):
        verify_signed_atw_link(value, public_key_of(identity.samsung_cert))  # type: ignore[arg-type]


def test_the_link_and_signature_stay_out_of_the_repr_and_the_signature_out_of_equality(identity, clock):
    from linkkit.atw_signature import SignedAtwLink

    result = verify_signed_atw_link(
        sign_atw_link(LINK, identity.samsung_key, clock=lambda: NOW), public_key_of(identity.samsung_cert), clock=clock
    )
    assert LINK not in repr(result) and repr(result.signature) not in repr(result)
    assert "signature" not in repr(result) and str(result.ts_ms) in repr(result)
    assert result == SignedAtwLink(atw_link=LINK, ts_ms=result.ts_ms, signature=b"another spelling")
