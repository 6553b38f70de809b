"""Opening tokens as Samsung and partners do: every failure has its own error."""

from __future__ import annotations

import json
import os

import pytest
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jwcrypto import jwk, jws

from linkkit import errors
from linkkit._b64 import b64url_decode, b64url_encode
from linkkit.identity import new_rsa_key
from linkkit.keys import public_key_of
from linkkit.verify import Check, TokenRun, TokenVerifier, VerifiedAuthToken, decode_jws, decrypt_jwe

from .conftest import CERTIFICATE_ID, NOW, PARTNER_ID


def test_round_trip(signer, verifier, loyalty_card):
    opened = verifier.open_card_data_token(signer.card_data_token(loyalty_card))
    assert opened.card == loyalty_card
    assert opened.issued_at_ms == int(NOW * 1000)
    assert opened.encryption_header == {"alg": "RSA1_5", "enc": "A128GCM"}


def test_age_limit_is_exactly_30_seconds(signer, verifier, clock, loyalty_card):
    token = signer.card_data_token(loyalty_card)
    clock.now += 30  # valid for 30 s after utc, skew never extends it
    verifier.open_card_data_token(token)
    clock.now += 0.01
    with pytest.raises(errors.TokenExpiredError, match="30.0 s old; the limit is 30 s"):
        verifier.open_card_data_token(token)


def test_skew_tolerates_a_signer_clock_ahead(signer_factory, verifier_factory, clock, loyalty_card):
    token = signer_factory(clock=lambda: clock.now + 5).card_data_token(loyalty_card)
    verifier_factory().open_card_data_token(token)  # default skew: 5 s ahead is fine
    with pytest.raises(errors.TokenFromFutureError):
        verifier_factory(clock_skew=0).open_card_data_token(token)


def test_token_from_the_future(signer_factory, verifier, clock, loyalty_card):
    ahead = signer_factory(clock=lambda: clock.now + 6)
    with pytest.raises(errors.TokenFromFutureError):
        verifier.open_card_data_token(ahead.card_data_token(loyalty_card))


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1])
def test_limits_must_be_finite(identity, value):
    with pytest.raises(ValueError, match="finite"):
        TokenVerifier(signer_public_key=public_key_of(identity.partner_cert), card_max_age=value)


def test_huge_utc_is_malformed_not_a_crash(signer, identity, verifier, loyalty_card):
    parts = signer.card_data_token(loyalty_card).split(".")
    header = json.loads(b64url_decode(parts[0])) | {"utc": 10**400}
    with pytest.raises(errors.MalformedTokenError, match="Long"):
        verifier.open_card_data_token(_resign(identity, header, b64url_decode(parts[1])))


@pytest.mark.parametrize(
    "raw",
    [
        b'{"alg":"none","alg":"RS256","cty":"CARD"}',
        b'{"alg":"RS256","cty":"CARD","crit":["x"]}',
        '{"alg":"RS256"}'.encode("utf-16"),
        b'{"alg":"RS256","utc":NaN}',
        b"[" * 5000,
    ],
)
def test_headers_that_must_be_refused(verifier, raw):
    token = b64url_encode(raw) + "." + b64url_encode(b"x") + ".c2ln"
    with pytest.raises(errors.MalformedTokenError):
        verifier.open_card_data_token(token)


def test_wrong_signing_key_is_a_bad_signature(signer_factory, verifier, loyalty_card):
    token = signer_factory(private_key=new_rsa_key()).card_data_token(loyalty_card)
    with pytest.raises(errors.BadSignatureError):
        verifier.open_card_data_token(token)


def test_wrong_decryption_key(signer, verifier_factory, loyalty_card):
    with pytest.raises(errors.DecryptionError):
        verifier_factory(decryption_key=new_rsa_key()).open_card_data_token(signer.card_data_token(loyalty_card))


@pytest.mark.parametrize("segment", [0, 1, 2])
def test_tampered_segment(signer, verifier, loyalty_card, segment):
    parts = signer.card_data_token(loyalty_card).split(".")
    raw = bytearray(b64url_decode(parts[segment]))
    raw[len(raw) // 2] ^= 1
    parts[segment] = b64url_encode(bytes(raw))
    with pytest.raises((errors.BadSignatureError, errors.MalformedTokenError)):
        verifier.open_card_data_token(".".join(parts))


def _resign(identity, header: dict, payload: bytes) -> str:
    token = jws.JWS(payload)
    token.add_signature(
        jwk.JWK.from_pem(identity.files["partner.key"]), alg=header.get("alg", "RS256"), protected=json.dumps(header)
    )
    return str(token.serialize(compact=True))


def test_wrong_cty_is_its_own_error(signer, identity, verifier, loyalty_card):
    jws_parts = signer.card_data_token(loyalty_card).split(".")
    header = json.loads(b64url_decode(jws_parts[0])) | {"cty": "JWT"}
    with pytest.raises(errors.WrongContentTypeError):
        verifier.open_card_data_token(_resign(identity, header, b64url_decode(jws_parts[1])))


@pytest.mark.parametrize("alg", ["none", "HS256", "RS512", "PS256"])
def test_algorithm_allow_list(identity, verifier, alg):
    header = {"alg": alg, "cty": "CARD", "utc": int(NOW * 1000)}
    token = b64url_encode(json.dumps(header).encode()) + "." + b64url_encode(b"x") + ".c2ln"
    with pytest.raises(errors.UnsupportedAlgorithmError):
        verifier.open_card_data_token(token)


def test_jwe_algorithm_allow_list(signer, identity, verifier):
    # A correctly signed token whose inner JWE claims an algorithm outside the allow-list.
    inner = b64url_encode(b'{"alg":"RSA-OAEP-256","enc":"A256GCM"}') + ".a.b.c.d"
    token = signer_sign(signer, inner)
    with pytest.raises(errors.UnsupportedAlgorithmError):
        verifier.open_card_data_token(token)


def signer_sign(signer, payload: str) -> str:
    from linkkit.tokens import sign_jws

    return sign_jws(signer.jws_header("CARD"), payload.encode(), signer.private_key)


def test_string_utc_is_malformed(identity, verifier, signer, loyalty_card):
    parts = signer.card_data_token(loyalty_card).split(".")
    header = json.loads(b64url_decode(parts[0])) | {"utc": str(int(NOW * 1000))}
    with pytest.raises(errors.MalformedTokenError, match="utc"):
        verifier.open_card_data_token(_resign(identity, header, b64url_decode(parts[1])))


@pytest.mark.parametrize("field,value", [("partner_id", "999"), ("certificate_id", "ZZZZ")])
def test_partner_and_certificate_ids_must_match(signer, verifier_factory, loyalty_card, field, value):
    with pytest.raises(errors.ClaimMismatchError):
        verifier_factory(**{field: value}).open_card_data_token(signer.card_data_token(loyalty_card))


def test_auth_token_checks(signer, verifier, clock):
    token = signer.auth_token("GET", "/cards/c1/r1")
    assert verifier.verify_auth_token(token, method="get", path="/cards/c1/r1").path == "/cards/c1/r1"
    assert verifier.verify_auth_token("Bearer " + token, method="GET", path="/cards/c1/r1").method == "GET"
    with pytest.raises(errors.ClaimMismatchError, match="bound to GET"):
        verifier.verify_auth_token(token, method="POST", path="/cards/c1/r1")
    with pytest.raises(errors.ClaimMismatchError, match="path"):
        verifier.verify_auth_token(token, method="GET", path="/cards/c1/r2")
    with pytest.raises(errors.WrongContentTypeError):
        verifier.verify_auth_token(signer.card_data_token({"card": {}}), method="GET", path="/")
    clock.now += 60
    verifier.verify_auth_token(token, method="GET", path="/cards/c1/r1")  # ±60 s
    clock.now += 0.01
    with pytest.raises(errors.TokenExpiredError):
        verifier.verify_auth_token(token, method="GET", path="/cards/c1/r1")
    clock.now -= 120.02
    with pytest.raises(errors.TokenFromFutureError):
        verifier.verify_auth_token(token, method="GET", path="/cards/c1/r1")


def test_auth_token_needs_an_expected_partner_and_ascii_methods(signer, verifier_factory, verifier):
    token = signer.auth_token("GET", "/x")
    with pytest.raises(ValueError, match="partner_id"):
        verifier_factory(partner_id=None).verify_auth_token(token, method="GET", path="/x")
    with pytest.raises(ValueError, match="ASCII"):
        verifier.verify_auth_token(token, method="ſET", path="/x")


def test_auth_token_without_api_claim(signer, verifier):
    from linkkit.tokens import sign_jws

    token = sign_jws(signer.jws_header("AUTH"), b'{"refId":"x"}', signer.private_key)
    with pytest.raises(errors.MalformedTokenError, match="API.method"):
        verifier.verify_auth_token(token, method="GET", path="/")


def test_verifier_config(identity):
    with pytest.raises(TypeError):
        TokenVerifier(signer_public_key=identity.partner_key)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        TokenVerifier(signer_public_key=public_key_of(identity.partner_cert), clock_skew=-1)


@pytest.mark.parametrize("bad", ["", "a.b", "a.b.c.d", "e30.e30.e30", "!!!.e30.e30", "W10.e30.e30", "x" * 70000])
def test_malformed_tokens(verifier, bad):
    with pytest.raises(errors.TokenError):
        verifier.open_card_data_token(bad)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        st.text(max_size=300),
        st.lists(st.text(alphabet="ABCDEFabcdef0123456789-_=", max_size=60), min_size=1, max_size=6).map(".".join),
    )
)
def test_fuzz_opener_raises_only_linkkit_errors(verifier, text):
    for call in (
        lambda: verifier.open_card_data_token(text),
        lambda: verifier.verify_auth_token(text, method="GET", path="/"),
        lambda: decode_jws(text),
    ):
        try:
            call()
        except errors.LinkKitError:
            pass


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.dictionaries(
        st.text(max_size=8), st.one_of(st.none(), st.integers(), st.text(max_size=8), st.booleans()), max_size=6
    ),
    st.binary(max_size=64),
)
def test_fuzz_headers_and_payloads(verifier, header, payload):
    token = b64url_encode(json.dumps(header).encode()) + "." + b64url_encode(payload) + "." + b64url_encode(b"s" * 256)
    with pytest.raises(errors.TokenError):
        verifier.open_card_data_token(token)


# -- every refusal is a TokenError ------------------------------------------------------------------
# The public entry points that read a token, an Authorization value or a signedAtwLink, fed arbitrary
# text and bytes, mangled real tokens and headers, and correctly signed tokens around a mangled JWE:
# whatever they refuse, they refuse with a linkkit.errors.TokenError (never ValueError, KeyError,
# UnicodeError, binascii.Error, AttributeError ...), so a server maps every bad input to one answer.

_MANGLE_ALPHABET = "AZaz09-_.=+/ \t\r\n\x00!%é\u2028\ud800"


def _entry_points(verifier, identity, clock):
    from linkkit.atw_signature import verify_signed_atw_link
    from linkkit.authorization import compact_token, parse_authorization
    from linkkit.replay import ReplayGuard, replay_keys
    from linkkit.verify import decrypt_jwe

    samsung = public_key_of(identity.samsung_cert)
    return {
        "decode_jws": decode_jws,
        "open_card_data_token": verifier.open_card_data_token,
        "verify_auth_token": lambda t: verifier.verify_auth_token(t, method="GET", path="/cards/c1/r1"),
        "verify_jws": lambda t: verifier.verify_jws(t, "CARD"),
        "decrypt_jwe": lambda t: decrypt_jwe(t, identity.samsung_key),
        "parse_authorization": parse_authorization,
        "compact_token": compact_token,
        "replay_keys": lambda t: replay_keys("req-1", token=t),
        "ReplayGuard.check_and_remember": lambda t: ReplayGuard(clock=clock).check_and_remember("req-1", token=t),
        "verify_signed_atw_link": lambda t: verify_signed_atw_link(t, samsung, clock=clock),
    }


def _refused_only_as_token_errors(entry_points, value) -> None:
    for name, call in entry_points.items():
        try:
            call(value)
        except errors.TokenError:
            pass
        except Exception as exc:  # pragma: no cover - the failure message
            pytest.fail(f"{name}({value!r:.80}) raised {type(exc).__name__}: {exc}")


@st.composite
def _mangled(draw, text: str) -> str:
    chars = list(text)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(chars)))
        op = draw(st.sampled_from(["insert", "delete", "replace", "truncate"]))
        c = draw(st.sampled_from(_MANGLE_ALPHABET))
        if op == "insert":
            chars.insert(i, c)
        elif op == "truncate":
            chars = chars[:i]
        elif i < len(chars):
            chars[i] = c if op == "replace" else ""
    return "".join(chars)


_FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_FUZZ
@given(
    st.one_of(
        st.text(max_size=200),
        st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
        st.lists(st.text(alphabet="AZaz09-_", max_size=40), min_size=1, max_size=7).map(".".join),
        st.sampled_from([None, b"e30.e30.e30", 3, ["a.b.c"], "x" * 70_000, "Bearer " + "a" * 65_537]),
    )
)
def test_fuzz_every_entry_point_refuses_with_token_errors_only(verifier, identity, clock, value):
    _refused_only_as_token_errors(_entry_points(verifier, identity, clock), value)


@_FUZZ
@given(which=st.sampled_from(["card", "auth", "authorization", "atw", "jwe"]), data=st.data())
def test_fuzz_mangled_real_tokens_and_headers_refused_with_token_errors_only(
    signer, verifier, identity, clock, loyalty_card, which, data
):
    from linkkit.atw_signature import sign_atw_link

    card = signer.card_data_token(loyalty_card)
    real = {
        "card": card,
        "auth": signer.auth_token("GET", "/cards/c1/r1"),
        "authorization": signer.authorization_header("GET", "/cards/c1/r1"),
        "atw": sign_atw_link("https://a.swallet.link/atw/v3/x#Clip?cdata=y", identity.samsung_key, clock=clock),
        "jwe": b64url_decode(card.split(".")[1]).decode("ascii"),
    }[which]
    _refused_only_as_token_errors(_entry_points(verifier, identity, clock), data.draw(_mangled(real)))


@_FUZZ
@given(segment=st.integers(0, 4), data=st.data())
def test_fuzz_signed_tokens_around_a_mangled_jwe_refused_with_token_errors_only(
    signer, verifier, identity, clock, loyalty_card, segment, data
):
    # Correctly signed, so every JWS check passes and the JWE checks (segments, alg/enc, IV, tag,
    # key length, decryption, JSON) see the mangled part.
    from linkkit.tokens import sign_jws

    parts = b64url_decode(signer.card_data_token(loyalty_card).split(".")[1]).decode("ascii").split(".")
    raw = bytearray(b64url_decode(parts[segment]))
    how = data.draw(st.sampled_from(["flip", "cut", "grow", "text"]))
    if how == "flip" and raw:
        raw[data.draw(st.integers(0, len(raw) - 1))] ^= 1 << data.draw(st.integers(0, 7))
    elif how == "cut":
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    elif how == "grow":
        raw += data.draw(st.binary(min_size=1, max_size=4))
    parts[segment] = data.draw(_mangled(parts[segment])) if how == "text" else b64url_encode(bytes(raw))
    inner = ".".join(parts).encode("utf-8", "surrogatepass")
    token = sign_jws(signer.jws_header("CARD"), inner, signer.private_key)
    _refused_only_as_token_errors(_entry_points(verifier, identity, clock), token)


# -- the pipeline: one list of named checks behind verify_* and the doctor ---------------------

CARD_CHECKS = ["shape", "alg", "cty", "signature", "ver", "partnerId", "certificateId", "utc", "age", "decrypt"]


def test_checks_run_in_order_and_name_each_step(signer, verifier, loyalty_card):
    card = list(verifier.checks(signer.card_data_token(loyalty_card), cty="CARD"))
    assert [c.name for c in card] == CARD_CHECKS and all(c.status == "ok" for c in card)
    auth = list(verifier.checks(signer.auth_token("GET", "/cards/c1/r1"), method="GET", path="/cards/c1/r1"))
    assert [c.name for c in auth] == [*CARD_CHECKS[:-1], "API"] and auth[-1].detail == "bound to GET /cards/c1/r1"


def test_verify_raises_the_first_failure_the_checks_report(identity, signer, verifier_factory, clock, loyalty_card):
    token = signer.card_data_token(loyalty_card)
    clock.now += 31
    other = verifier_factory(partner_id="someone-else")
    failed = [c for c in other.checks(token, cty="CARD") if c.status == "fail"]
    # Both the id and the age fail; the doctor sees both, verify_* raise the first.
    assert [c.name for c in failed] == ["partnerId", "age"]
    with pytest.raises(errors.ClaimMismatchError, match="partnerId") as raised:
        other.open_card_data_token(token)
    assert str(raised.value) == failed[0].detail


def test_a_verifier_without_a_key_skips_the_signature_and_refuses_to_verify(signer, verifier_factory, loyalty_card):
    unkeyed = verifier_factory(signer_public_key=None, decryption_key=None)
    token = signer.card_data_token(loyalty_card)
    statuses = {c.name: c.status for c in unkeyed.checks(token)}
    assert statuses["signature"] == "skip" and statuses["decrypt"] == "skip" and statuses["age"] == "ok"
    with pytest.raises(errors.ConfigError, match="signer_public_key"):
        unkeyed.open_card_data_token(token)
    with pytest.raises(errors.ConfigError, match="path"):
        verifier_factory().verify_auth_token(signer.auth_token("GET", "/x"), method="GET", path=None)


# -- one check each (mutation testing: each input passes every earlier check and fails only this one) --


def _card_token(identity, signer, card, *, drop: tuple[str, ...] = (), **changes: object) -> str:
    """A real Card Data Token re-signed with its header changed: every other check still passes."""
    parts = signer.card_data_token(card).split(".")
    header = {k: v for k, v in (json.loads(b64url_decode(parts[0])) | changes).items() if k not in drop}
    return _resign(identity, header, b64url_decode(parts[1]))


def _exactly(length: int) -> str:
    """A compact JWS of exactly ``length`` characters that decodes (header ``{}``)."""
    return "e30." + "A" * (length - len("e30..c2ln")) + ".c2ln"


def test_a_token_of_exactly_the_limit_decodes_and_one_more_character_is_refused():
    assert decode_jws(_exactly(65536)).header == {}
    assert decode_jws("Bearer " + _exactly(65536)).header == {}
    with pytest.raises(errors.MalformedTokenError, match="^token is longer than 65536"):
        decode_jws(_exactly(65537))  # no whitespace: compact_token passes it through unchanged
    # With the scheme it is refused by decode_jws itself, before the Authorization parser scans it.
    with pytest.raises(errors.MalformedTokenError, match="^token is longer than 65536"):
        decode_jws("Bearer " + _exactly(65537))


def test_a_fourth_segment_after_a_valid_signed_token_is_refused(signer, verifier, loyalty_card):
    # The first three segments are a real, correctly signed token: only the segment count can refuse it.
    with pytest.raises(errors.MalformedTokenError, match="3 segments"):
        verifier.open_card_data_token(signer.card_data_token(loyalty_card) + ".e30")


def test_reprs_never_show_keys_payloads_signatures_or_card_data(signer, verifier, loyalty_card):
    token = signer.card_data_token(loyalty_card)
    decoded = decode_jws(token)
    assert repr(decoded) == f"DecodedJWS(header={decoded.header!r})"
    opened = verifier.open_card_data_token(token)
    assert repr(opened) == f"OpenedCardToken(header={opened.header!r}, encryption_header={opened.encryption_header!r})"
    auth = verifier.verify_auth_token(signer.auth_token("GET", "/x", ref_id="r1"), method="GET", path="/x")
    assert repr(auth) == f"VerifiedAuthToken(header={auth.header!r}, claims={auth.claims!r})"
    run = TokenRun()
    checks = list(verifier.checks(token, run=run))
    for name in ("plaintext", "card=", "claims"):
        assert name not in repr(run)
    assert repr(checks[0]) == "Check(name='shape', status='ok', detail='compact JWS')"
    assert repr(verifier) == (
        f"TokenVerifier(partner_id={PARTNER_ID!r}, certificate_id={CERTIFICATE_ID!r}, card_max_age=30.0, "
        "auth_window=60.0, clock_skew=5.0, link_version=None)"
    )


def test_a_verified_auth_token_equals_one_built_from_its_claims(signer, verifier):
    # The signature is the token's identity for replay stores, not part of what it says.
    auth = verifier.verify_auth_token(signer.auth_token("GET", "/x"), method="GET", path="/x")
    assert auth.signature and auth == VerifiedAuthToken(auth.header, auth.claims)


def test_two_runs_over_one_token_give_equal_checks(signer, verifier, clock, loyalty_card):
    # The errors are fresh exceptions each run (which compare by identity); the checks compare by what they say.
    token = signer.card_data_token(loyalty_card)
    clock.now += 31
    first, second = list(verifier.checks(token)), list(verifier.checks(token))
    assert first == second and first[-2].status == "fail" and first[-2].error is not second[-2].error


def test_ok_and_warn_pass_and_skip_and_fail_do_not():
    assert Check("a", "ok", "").passed and Check("a", "warn", "").passed
    assert not Check("a", "skip", "").passed and not Check("a", "fail", "").passed


def test_a_typ_header_is_advice_that_passes(identity, signer, verifier, loyalty_card):
    token = _card_token(identity, signer, loyalty_card, typ="JWT")
    typ = [c for c in verifier.checks(token) if c.name == "typ"]
    assert [(c.status, c.passed) for c in typ] == [("warn", True)]
    assert verifier.open_card_data_token(token).card == loyalty_card


def test_the_cty_message_names_what_was_expected(identity, signer, verifier, loyalty_card):
    token = _card_token(identity, signer, loyalty_card, cty="JWT")
    assert list(verifier.checks(token))[-1].detail == "JWS cty must be 'CARD' or 'AUTH' (got 'JWT')"
    assert list(verifier.checks(token, cty="CARD"))[-1].detail == "JWS cty must be 'CARD' (got 'JWT')"


# ver: "3" needs certificateId; "1" has none and stays off /atw/v3/ links; nothing else


def test_ver_2_is_refused(identity, signer, verifier, loyalty_card):
    with pytest.raises(errors.MalformedTokenError, match="ver must be '3'"):
        verifier.open_card_data_token(_card_token(identity, signer, loyalty_card, ver="2"))


@pytest.mark.parametrize("drop,changes", [(("certificateId",), {}), ((), {"certificateId": ""})])
def test_a_ver_3_token_without_a_certificate_id_is_a_claim_mismatch(
    identity, signer, verifier, loyalty_card, drop, changes
):
    # ClaimMismatchError from the ver rule, before the id check would call it missing (MalformedTokenError).
    token = _card_token(identity, signer, loyalty_card, drop=drop, **changes)
    with pytest.raises(errors.ClaimMismatchError, match="must carry its certificateId"):
        verifier.open_card_data_token(token)


def test_a_ver_1_token_has_no_certificate_id_and_opens_off_v3_links(identity, signer, verifier_factory, loyalty_card):
    token = _card_token(identity, signer, loyalty_card, drop=("certificateId",), ver="1")
    for link_version in (None, 1):
        verifier = verifier_factory(link_version=link_version)
        assert verifier.open_card_data_token(token).card == loyalty_card
        checks = {c.name: c for c in verifier.checks(token)}
        assert checks["ver"].status == "warn"
        assert checks["certificateId"].detail == "none: a ver '1' token predates certificateId"
    with pytest.raises(errors.ClaimMismatchError, match="belongs on an /atw/v1/ link"):
        verifier_factory(link_version=3).open_card_data_token(token)
    current = signer.card_data_token(loyalty_card)  # ver 3 on a v3 link is the normal case
    assert verifier_factory(link_version=3).open_card_data_token(current).card == loyalty_card


def test_a_ver_1_token_that_names_a_certificate_id_must_name_ours(identity, signer, verifier, loyalty_card):
    token = _card_token(identity, signer, loyalty_card, ver="1", certificateId="ZZZZ")
    with pytest.raises(errors.ClaimMismatchError, match="certificateId"):
        verifier.open_card_data_token(token)


@pytest.mark.parametrize("drop,changes", [(("partnerId",), {}), ((), {"partnerId": ""})])
def test_a_missing_or_empty_partner_id_is_malformed(identity, signer, verifier, loyalty_card, drop, changes):
    # Malformed, not a mismatch with the expected id (and never silently passed).
    token = _card_token(identity, signer, loyalty_card, drop=drop, **changes)
    with pytest.raises(errors.MalformedTokenError, match="partnerId is missing"):
        verifier.open_card_data_token(token)


# utc: epoch milliseconds in [0, 10**13)


def test_utc_zero_is_a_valid_but_expired_instant(identity, signer, verifier, loyalty_card):
    with pytest.raises(errors.TokenExpiredError):
        verifier.open_card_data_token(_card_token(identity, signer, loyalty_card, utc=0))


@pytest.mark.parametrize("utc", [-1, 10**13])
def test_utc_outside_long_13_is_malformed(identity, signer, verifier, loyalty_card, utc):
    with pytest.raises(errors.MalformedTokenError, match="Long"):
        verifier.open_card_data_token(_card_token(identity, signer, loyalty_card, utc=utc))


def test_the_last_long_13_utc_is_read_as_the_far_future(identity, signer, verifier, loyalty_card):
    with pytest.raises(errors.TokenFromFutureError):
        verifier.open_card_data_token(_card_token(identity, signer, loyalty_card, utc=10**13 - 1))


# the callers' own steps


def test_verify_jws_stops_before_the_age(signer, verifier, clock, loyalty_card):
    token = signer.card_data_token(loyalty_card)
    clock.now += 3600
    assert verifier.verify_jws(token, "CARD").header["utc"] == int(NOW * 1000)


def test_check_signature_alone(signer, verifier, loyalty_card):
    jws_ = decode_jws(signer.card_data_token(loyalty_card))
    verifier.check_signature(jws_)  # passes: returns nothing
    forged = decode_jws(signer.card_data_token({"card": {}}).rsplit(".", 1)[0] + "." + b64url_encode(jws_.signature))
    with pytest.raises(errors.BadSignatureError):
        verifier.check_signature(forged)


@pytest.mark.parametrize("card,match", [(b"not json", "not JSON"), (b"[1]", "JSON object")])
def test_card_data_that_decrypts_must_be_a_json_object(signer, verifier, card, match):
    with pytest.raises(errors.MalformedTokenError, match=match):
        verifier.open_card_data_token(signer.card_data_token(card))


def test_an_auth_token_ref_id_must_be_a_string(signer, verifier):
    from linkkit.tokens import sign_jws

    token = signer.auth_token("GET", "/x", ref_id="r1")
    assert verifier.verify_auth_token(token, method="GET", path="/x").ref_id == "r1"
    claims = {"API": {"method": "GET", "path": "/x"}, "refId": 5}
    numeric = sign_jws(signer.jws_header("AUTH"), json.dumps(claims).encode(), signer.private_key)
    with pytest.raises(errors.MalformedTokenError, match="refId"):
        verifier.verify_auth_token(numeric, method="GET", path="/x")


# the JWE: each built by hand with cryptography, correctly encrypted, wrong in one respect only


def _jwe(identity, *, header: bytes = b'{"alg":"RSA1_5","enc":"A128GCM"}', cek_bytes=16, iv_bytes=12) -> str:
    protected = b64url_encode(header)
    cek, iv = os.urandom(cek_bytes), os.urandom(iv_bytes)
    wrapped = public_key_of(identity.samsung_cert).encrypt(cek, padding.PKCS1v15())
    sealed = AESGCM(cek).encrypt(iv, b'{"card":{}}', protected.encode())
    segments = (wrapped, iv, sealed[:-16], sealed[-16:])
    return ".".join([protected, *(b64url_encode(s) for s in segments)])


def test_a_hand_built_jwe_decrypts(identity):
    assert decrypt_jwe(_jwe(identity), identity.samsung_key) == ({"alg": "RSA1_5", "enc": "A128GCM"}, b'{"card":{}}')


def test_a_jwe_with_a_sixth_segment_is_refused_by_its_count(identity):
    with pytest.raises(errors.MalformedTokenError, match="5 segments"):
        decrypt_jwe(_jwe(identity) + ".e30", identity.samsung_key)


def test_a_jwe_labelled_with_another_enc_is_refused_though_it_would_decrypt(identity):
    with pytest.raises(errors.UnsupportedAlgorithmError, match="A256GCM"):
        decrypt_jwe(_jwe(identity, header=b'{"alg":"RSA1_5","enc":"A256GCM"}'), identity.samsung_key)


def test_a_jwe_with_a_zip_header_is_refused_though_its_body_is_plain_json(identity):
    with pytest.raises(errors.UnsupportedAlgorithmError, match="zip"):
        decrypt_jwe(_jwe(identity, header=b'{"alg":"RSA1_5","enc":"A128GCM","zip":"DEF"}'), identity.samsung_key)


def test_a_jwe_with_a_128_bit_iv_is_refused_though_aes_gcm_accepts_it(identity):
    with pytest.raises(errors.MalformedTokenError, match="IV must be 96 bits"):
        decrypt_jwe(_jwe(identity, iv_bytes=16), identity.samsung_key)


def test_a_jwe_with_a_256_bit_key_is_refused_though_aes_gcm_accepts_it(identity):
    # A128GCM means a 128-bit CEK; AESGCM would decrypt with a 256-bit one as AES-256-GCM.
    with pytest.raises(errors.DecryptionError):
        decrypt_jwe(_jwe(identity, cek_bytes=32), identity.samsung_key)
