"""The token doctor on hostile and broken input: a diagnosis, never an exception."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkkit.doctor import diagnose
from linkkit.links import fetch_link, transmit_link
from linkkit.tokens import sign_jws

from .conftest import CARD_ID, CERTIFICATE_ID


def statuses(diagnosis):
    return {c.name: c.status for c in diagnosis.checks}


def test_valid_transmit_link(signer, identity, clock, loyalty_card):
    link = transmit_link(CARD_ID, signer.card_data_token(loyalty_card))
    d = diagnose(link, partner_certificate=identity.partner_cert, samsung_private_key=identity.samsung_key, clock=clock)
    assert d.valid and statuses(d)["card"] == "ok"
    assert d.card_summary == {"type": "loyalty", "subType": "others", "entries": 1}


def test_unverified_is_not_valid_and_fetch_links_are(signer, clock, loyalty_card):
    assert not diagnose(signer.card_data_token(loyalty_card), clock=clock).valid
    assert diagnose(fetch_link(CERTIFICATE_ID, CARD_ID, "A" * 32)).valid


def test_auth_tokens_are_recognised(signer, identity, clock):
    d = diagnose(signer.auth_token("POST", "/cards/1/2"), partner_certificate=identity.partner_cert, clock=clock)
    assert d.kind == "auth_token" and d.valid and "POST /cards/1/2" in [c.detail for c in d.checks][-1]


def test_a_card_that_breaks_rules_fails_with_the_path(signer, identity, clock, loyalty_card):
    del loyalty_card["card"]["data"][0]["attributes"]["title"]
    d = diagnose(
        signer.card_data_token(loyalty_card),
        partner_certificate=identity.partner_cert,
        samsung_private_key=identity.samsung_key,
        clock=clock,
    )
    assert not d.valid and "card.data[0].attributes.title: required" in [c.detail for c in d.checks]


@pytest.mark.parametrize("payload", [b"[" * 5000, b'{"API":1}', b"\xff"])
def test_hostile_signed_payloads(signer, identity, clock, payload):
    token = sign_jws(signer.jws_header("AUTH"), payload, signer.private_key)
    d = diagnose(token, partner_certificate=identity.partner_cert, clock=clock)
    assert not d.valid and statuses(d)["API"] == "fail"


def test_huge_utc_is_a_failed_check(signer, identity, clock):
    header = signer.jws_header("CARD") | {"utc": 10**400}
    d = diagnose(
        sign_jws(header, b"a.b.c.d.e", signer.private_key), partner_certificate=identity.partner_cert, clock=clock
    )
    assert statuses(d)["utc"] == "fail" and not d.valid


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.dictionaries(
        st.sampled_from(["alg", "cty", "ver", "utc", "partnerId", "certificateId", "typ"]),
        st.one_of(st.none(), st.integers(), st.text(max_size=6), st.booleans()),
        max_size=7,
    ),
    payload=st.binary(max_size=80),
)
def test_fuzz_signed_tokens_never_raise(signer, identity, clock, header, payload):
    """Tokens that pass the signature check reach every later step; none may raise."""
    token = sign_jws(header, payload, signer.private_key)
    d = diagnose(
        token, partner_certificate=identity.partner_cert, samsung_private_key=identity.samsung_key, clock=clock
    )
    json.dumps(d.to_dict())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_fuzz_text_never_raises(text):
    assert diagnose(text).valid in (True, False)
