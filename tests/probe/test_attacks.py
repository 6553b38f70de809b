"""Each named attack is exactly one deviation from a valid call: linkkit's verifier refuses it for that
one reason, and an independent library (PyJWT, hmac) sees the token the probe meant to build."""

from __future__ import annotations

import hashlib
import hmac
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from linkkit._b64 import b64url_decode
from linkkit.atw_signature import verify_signed_atw_link
from linkkit.errors import (
    BadSignatureError,
    ClaimMismatchError,
    TokenError,
    TokenExpiredError,
    TokenFromFutureError,
    UnsupportedAlgorithmError,
)
from linkkit.links import action_link
from linkkit.probe import attacks
from linkkit.tokens import TokenSigner
from linkkit.verify import TokenVerifier
from tests.conftest import CARD_ID, CERTIFICATE_ID, PARTNER_ID, FrozenClock, Identity

PATH = f"/samsung/cards/{CARD_ID}/ref-1"


@pytest.fixture
def samsung(identity: Identity, clock: FrozenClock) -> TokenSigner:
    return TokenSigner(
        partner_id=PARTNER_ID, certificate_id=CERTIFICATE_ID, private_key=identity.samsung_key, clock=clock
    )


@pytest.fixture
def partner_side(identity: Identity, clock: FrozenClock) -> TokenVerifier:
    """How a partner built with linkkit checks Samsung's tokens."""
    return TokenVerifier(signer_public_key=identity.samsung_key.public_key(), partner_id=PARTNER_ID, clock=clock)


def _refused(verifier: TokenVerifier, token: str) -> type[TokenError]:
    with pytest.raises(TokenError) as caught:
        verifier.verify_auth_token(token, method="GET", path=PATH)
    return type(caught.value)


def test_the_valid_token_verifies(samsung: TokenSigner, partner_side: TokenVerifier) -> None:
    assert partner_side.verify_auth_token(samsung.auth_token("GET", PATH), method="GET", path=PATH).path == PATH


def test_one_flipped_signature_bit_is_refused_for_the_signature(
    samsung: TokenSigner, partner_side: TokenVerifier
) -> None:
    token = samsung.auth_token("GET", PATH)
    tampered = attacks.tampered_signature(token)
    assert tampered.rsplit(".", 1)[0] == token.rsplit(".", 1)[0]
    before, after = b64url_decode(token.rsplit(".", 1)[1]), b64url_decode(tampered.rsplit(".", 1)[1])
    assert sum(bin(a ^ b).count("1") for a, b in zip(before, after, strict=True)) == 1
    assert _refused(partner_side, tampered) is BadSignatureError


def test_a_foreign_key_signs_a_token_that_only_its_key_verifies(
    samsung: TokenSigner, partner_side: TokenVerifier
) -> None:
    token = attacks.foreign_signer(samsung).auth_token("GET", PATH)
    foreign = attacks.foreign_signer(samsung).private_key.public_key()
    assert jwt.api_jws.decode(token, key=foreign, algorithms=["RS256"])  # a well-made RS256 token ...
    assert _refused(partner_side, token) is BadSignatureError  # ... by someone else


def test_alg_none_has_the_right_claims_and_no_signature(samsung: TokenSigner, partner_side: TokenVerifier) -> None:
    token = attacks.unsigned_token(samsung, "GET", PATH)
    assert token.endswith(".")
    assert jwt.get_unverified_header(token)["alg"] == "none"
    assert json.loads(b64url_decode(token.split(".")[1])) == {"API": {"method": "GET", "path": PATH}}
    assert _refused(partner_side, token) is UnsupportedAlgorithmError


def test_hs256_confusion_is_an_hmac_keyed_with_the_public_key_pem(
    identity: Identity, samsung: TokenSigner, partner_side: TokenVerifier
) -> None:
    public = identity.samsung_key.public_key()
    token = attacks.hs256_confused_token(samsung, "GET", PATH, public)
    pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    head, _, mac = token.rpartition(".")
    assert hmac.compare_digest(b64url_decode(mac), hmac.new(pem, head.encode(), hashlib.sha256).digest())
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    # PyJWT itself refuses a PEM as an HMAC secret: the attack works only on verifiers that trust alg
    with pytest.raises(jwt.InvalidKeyError):
        jwt.api_jws.decode(token, key=pem, algorithms=["HS256"])
    assert _refused(partner_side, token) is UnsupportedAlgorithmError


def test_the_shifted_clocks_are_refused_for_age(samsung: TokenSigner, partner_side: TokenVerifier) -> None:
    stale = attacks.shifted_signer(samsung, -attacks.CLOCK_SHIFT_S).auth_token("GET", PATH)
    future = attacks.shifted_signer(samsung, attacks.CLOCK_SHIFT_S).auth_token("GET", PATH)
    assert _refused(partner_side, stale) is TokenExpiredError
    assert _refused(partner_side, future) is TokenFromFutureError
    utc = jwt.get_unverified_header(stale)["utc"]
    assert utc == int((samsung.clock() - attacks.CLOCK_SHIFT_S) * 1000)


def test_a_token_for_post_or_another_path_is_refused_for_the_binding(
    samsung: TokenSigner, partner_side: TokenVerifier
) -> None:
    assert _refused(partner_side, samsung.auth_token("POST", PATH)) is ClaimMismatchError
    assert _refused(partner_side, samsung.auth_token("GET", PATH + "-other")) is ClaimMismatchError


def test_the_forged_signed_link_has_the_format_and_not_samsungs_signature(identity: Identity) -> None:
    link = action_link(CERTIFICATE_ID, CARD_ID)
    forged = attacks.forged_signed_link(link)
    assert b64url_decode(forged).decode().startswith(link + "&ts=")
    with pytest.raises(BadSignatureError):
        verify_signed_atw_link(forged, identity.samsung_key.public_key())


def test_the_bodies_are_what_their_labels_say() -> None:
    labels = dict(attacks.MALFORMED_BODIES)
    for label, body in attacks.MALFORMED_BODIES:
        assert len(body) < 16 * 1024, label  # small: only a parser can refuse them
    with pytest.raises(json.JSONDecodeError):
        json.loads(labels["truncated JSON"])
    assert isinstance(json.loads(labels["a JSON array"]), list)
    with pytest.raises(RecursionError):
        json.loads(labels["JSON nested 5,000 deep"])
    with pytest.raises(UnicodeDecodeError):
        labels["bytes that are not UTF-8"].decode("utf-8")
    big = attacks.oversize_body("https://us-tsapi.walletsvc.samsung.com")
    assert len(big) == attacks.OVERSIZE_BYTES and json.loads(big)["callback"].startswith("https://")


def test_the_traversal_ids_fill_in_the_real_ids() -> None:
    paths = attacks.traversal_paths("card-1", "ref-1")
    assert len(paths) == len(attacks.TRAVERSAL_IDS)
    assert ("encoded ../ in the cardId", "..%2Fcard-1", "ref-1") in paths
    assert all("{" not in card + ref for _, card, ref in paths)
