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
