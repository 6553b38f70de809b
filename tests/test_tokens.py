"""Card Data Tokens and AUTH tokens: Samsung's shape, opened by independent libraries."""

from __future__ import annotations

import json
import os

import jwt
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from jwcrypto import jwe, jwk, jws

from linkkit._b64 import b64url_decode, b64url_encode
from linkkit.keys import public_key_of
from linkkit.plan import card_data_token_length
from linkkit.tokens import TokenSigner, dumps_compact

from .conftest import CERTIFICATE_ID, NOW, PARTNER_ID


def _segments(token: str) -> list[str]:
    return token.split(".")


def test_card_data_token_header_is_exactly_samsungs(signer, loyalty_card):
    token = signer.card_data_token(loyalty_card)
    header = json.loads(b64url_decode(_segments(token)[0]))
    assert header == {
        "cty": "CARD",
        "ver": "3",
        "partnerId": PARTNER_ID,
        "certificateId": CERTIFICATE_ID,
        "utc": int(NOW * 1000),
        "alg": "RS256",
    }
    assert isinstance(header["utc"], int)  # a JSON number, not a string, as in Samsung's sample code
    assert "typ" not in header


def test_payload_is_a_compact_jwe_with_rsa1_5_a128gcm(signer, loyalty_card):
    jwe_compact = b64url_decode(_segments(signer.card_data_token(loyalty_card))[1]).decode()
    parts = jwe_compact.split(".")
    assert len(parts) == 5
    assert json.loads(b64url_decode(parts[0])) == {"alg": "RSA1_5", "enc": "A128GCM"}
    assert len(b64url_decode(parts[1])) == 256 and len(b64url_decode(parts[2])) == 12
    assert len(b64url_decode(parts[4])) == 16


@pytest.mark.parametrize("key_alg", ["RSA1_5", "RSA-OAEP"])
def test_jwcrypto_verifies_and_decrypts_linkkit_tokens(signer_factory, identity, loyalty_card, key_alg):
    token = signer_factory(key_alg=key_alg).card_data_token(loyalty_card)
    outer = jws.JWS()
    outer.deserialize(token)
    outer.verify(jwk.JWK.from_pem(identity.files["partner.crt"]))
    inner = jwe.JWE(algs=[key_alg, "A128GCM"])
    inner.deserialize(outer.payload.decode())
    inner.decrypt(jwk.JWK.from_pem(identity.files["samsung.key"]))
    assert json.loads(inner.payload) == loyalty_card
    assert inner.jose_header["alg"] == key_alg


def test_pyjwt_verifies_the_outer_signature(signer, identity, loyalty_card):
    token = signer.card_data_token(loyalty_card)
    payload = jwt.api_jws.decode(token, key=public_key_of(identity.partner_cert), algorithms=["RS256"])
    assert payload.count(b".") == 4


def test_plaintext_is_compact_utf8_json(signer, verifier, loyalty_card):
    opened = verifier.open_card_data_token(signer.card_data_token(loyalty_card))
    assert opened.plaintext == json.dumps(loyalty_card, separators=(",", ":"), ensure_ascii=False).encode()
    assert "골드".encode() in opened.plaintext


def test_card_json_bytes_are_encrypted_verbatim(signer, verifier):
    raw = b'{"card":{"type":"generic"}}'
    assert verifier.open_card_data_token(signer.card_data_token(raw)).plaintext == raw


def test_a_token_built_by_hand_with_cryptography_opens(identity, verifier, loyalty_card, clock):
    """Samsung's Card Data Token recipe followed step by step with cryptography alone, opened by linkkit."""
    plaintext = json.dumps(loyalty_card).encode()
    hdr = b64url_encode(b'{"enc":"A128GCM","alg":"RSA1_5"}')  # Samsung's sample key order
    cek, iv = os.urandom(16), os.urandom(12)
    ek = public_key_of(identity.samsung_cert).encrypt(cek, padding.PKCS1v15())
    ct = AESGCM(cek).encrypt(iv, plaintext, hdr.encode())
    segments = [hdr, b64url_encode(ek), b64url_encode(iv), b64url_encode(ct[:-16]), b64url_encode(ct[-16:])]
    jwe_compact = ".".join(segments)
    header = {
        "cty": "CARD",
        "ver": "3",
        "partnerId": PARTNER_ID,
        "certificateId": CERTIFICATE_ID,
        "utc": int(clock() * 1000) - 2000,
        "alg": "RS256",
    }
    signing_input = b64url_encode(json.dumps(header).encode()) + "." + b64url_encode(jwe_compact.encode())
    sig = identity.partner_key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    opened = verifier.open_card_data_token(signing_input + "." + b64url_encode(sig))
    assert opened.card == loyalty_card


def test_each_token_uses_a_fresh_key_and_iv(signer, loyalty_card):
    a, b = (b64url_decode(_segments(signer.card_data_token(loyalty_card))[1]).split(b".") for _ in range(2))
    assert a[1] != b[1] and a[2] != b[2]


def test_length_formula_is_exact(signer, loyalty_card):
    token = signer.card_data_token(loyalty_card)
    expected = card_data_token_length(
        len(dumps_compact(loyalty_card)), partner_id=PARTNER_ID, certificate_id=CERTIFICATE_ID
    )
    assert len(token) == expected


def test_auth_token_binds_method_path_and_ref_id(signer, identity):
    token = signer.auth_token("post", "/atw/v1/cards/123", ref_id="r1")
    header = jwt.get_unverified_header(token)
    assert header["cty"] == "AUTH" and header["alg"] == "RS256" and header["partnerId"] == PARTNER_ID
    claims = json.loads(jwt.api_jws.decode(token, key=public_key_of(identity.partner_cert), algorithms=["RS256"]))
    assert claims == {"API": {"method": "POST", "path": "/atw/v1/cards/123"}, "refId": "r1"}
    assert signer.authorization_header("GET", "/x").startswith("Bearer ey")


@pytest.mark.parametrize("method,path", [("", "/x"), ("G T", "/x"), ("GET", "x"), ("GET", "/x?y=1"), ("GET", "/x#f")])
def test_auth_token_refuses_misuse(signer, method, path):
    with pytest.raises(ValueError):
        signer.auth_token(method, path)


def test_signer_config_is_checked(identity):
    with pytest.raises(ValueError, match="partner_id"):
        TokenSigner(partner_id="", certificate_id="c", private_key=identity.partner_key)
    with pytest.raises(ValueError, match="key_alg"):
        TokenSigner(partner_id="p", certificate_id="c", private_key=identity.partner_key, key_alg="RSA-OAEP-256")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        TokenSigner(partner_id="p", certificate_id="c", private_key=b"pem")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="samsung_public_key"):
        TokenSigner(partner_id="p", certificate_id="c", private_key=identity.partner_key).card_data_token({})
    with pytest.raises(TypeError, match="samsung_public_key"):
        TokenSigner(
            partner_id="p",
            certificate_id="c",
            private_key=identity.partner_key,
            samsung_public_key=identity.samsung_cert,
        )  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        dumps_compact({"a": float("nan")})


def test_repr_never_shows_keys(signer):
    assert "private" not in repr(signer).lower() and "key" not in repr(signer).replace("key_alg", "")


@pytest.mark.parametrize("partner_id", ["4030093436155138240", 'we"ird\\id'])
def test_fast_header_equals_the_json_header(signer_factory, partner_id):
    signer = signer_factory(partner_id=partner_id)
    token = signer.card_data_token(b"{}")
    assert b64url_decode(token.split(".")[0]) == dumps_compact(signer.jws_header("CARD"))
    assert json.loads(b64url_decode(signer.auth_token("GET", "/").split(".")[0]))["partnerId"] == partner_id


# -- one check each (mutation testing: each input passes every other check) ---------------------------


def test_repr_shows_the_ids_and_key_alg_only(signer):
    # Neither the keys, nor the clock, nor the cached header prefixes (which name the ids again).
    expected = f"TokenSigner(partner_id={PARTNER_ID!r}, certificate_id={CERTIFICATE_ID!r}, key_alg='RSA1_5')"
    assert repr(signer) == expected


def test_signers_for_one_identity_are_equal_and_the_header_cache_is_no_part_of_it(signer_factory):
    # Frozen config: two signers made alike compare equal, and one without the Samsung key (the
    # sandbox's Samsung side; cryptography's public keys are unhashable) can key a dict. The header
    # prefixes derived in __post_init__ take no part in either: a dict would make it unhashable.
    a, b = signer_factory(samsung_public_key=None), signer_factory(samsung_public_key=None)
    assert a == b and hash(a) == hash(b)
    assert {a: 1}[b] == 1
    assert a != signer_factory(samsung_public_key=None, certificate_id="other")
