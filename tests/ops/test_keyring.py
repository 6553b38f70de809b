"""Keyrings: inbound tokens verified by the Samsung certificate their certificateId names, outbound tokens
signed by the partner key in use (current, then next at its date), click-link secrets in the same rings."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from linkkit.atw_signature import sign_atw_link
from linkkit.config import Endpoints
from linkkit.errors import BadSignatureError, ConfigError, UnknownCertificateError
from linkkit.keyring import ClickSecret, Keyring, PartnerKey, SamsungCertificate, current, upcoming
from linkkit.keyring_verify import verify_signed_link
from linkkit.keys import public_key_of
from linkkit.links import action_link
from linkkit.partner import (
    CHECK_ELIGIBILITY,
    ActionContext,
    ActionRegistry,
    ActionResult,
    ClickLinks,
    PartnerConfig,
    PartnerServer,
    SQLiteStore,
    ask_user,
)
from linkkit.partner.wire import Headers, Request
from linkkit.tokens import TokenSigner
from linkkit.verify import TokenVerifier, decode_jws
from tests.conftest import CARD_ID, CERTIFICATE_ID, NOW, PARTNER_ID, FrozenClock, Identity
from tests.ops.conftest import LATER, Spare
from tests.partner.conftest import DictCards, card_for

CARD_PATH = f"/cards/{CARD_ID}/ref-1"


def ring(identity: Identity, spare: Spare, **overrides: Any) -> Keyring:
    """YMtt (the session partner key), SAMS (the session Samsung certificate) and SAM2 (a second one)."""
    values: dict[str, Any] = {
        "partner_id": PARTNER_ID,
        "partner_keys": [
            PartnerKey(
                certificate_id=CERTIFICATE_ID, private_key=identity.partner_key, certificate=identity.partner_cert
            )
        ],
        "samsung_certificates": [
            SamsungCertificate(certificate_id="SAMS", certificate=identity.samsung_cert),
            SamsungCertificate(certificate_id="SAM2", certificate=spare.certificate(spare.samsung2_key, expires=LATER)),
        ],
    }
    values.update(overrides)
    return Keyring(**values)


def server(keyring: Keyring, clock: FrozenClock, loyalty_card: dict[str, Any], **kwargs: Any) -> PartnerServer:
    config = PartnerConfig(
        keyring=keyring, card_ids={CARD_ID}, clock=clock, endpoints=Endpoints.sandbox("http://127.0.0.1:9")
    )
    cards = DictCards({(CARD_ID, "ref-1"): card_for(loyalty_card, "ref-1")})
    return PartnerServer(config, cards, store=SQLiteStore(":memory:", clock=clock), **kwargs)


def samsung_call(key: Any, certificate_id: str, clock: FrozenClock, path: str = CARD_PATH) -> Request:
    clock.now += 0.002  # one token per millisecond
    signer = TokenSigner(partner_id=PARTNER_ID, certificate_id=certificate_id, private_key=key, clock=clock)
    headers = Headers({"authorization": signer.authorization_header("GET", path), "x-request-id": uuid.uuid4().hex})
    return Request("GET", path, path, headers)


# -- the selection rule -------------------------------------------------------------------------------


def test_the_current_entry_is_the_latest_started_one_that_has_not_expired() -> None:
    class E:
        def __init__(self, name: str, use_from: float | None, expires_at: float | None) -> None:
            self.name, self.use_from, self.expires_at = name, use_from, expires_at

    old, new, later = E("old", None, 2000.0), E("new", 1000.0, 5000.0), E("later", 3000.0, 9000.0)
    entries = [old, new, later]
    assert current(entries, 500).name == "old" and upcoming(entries, 500) is new
    assert current(entries, 1500).name == "new" and upcoming(entries, 1500) is later
    assert current(entries, 3500).name == "later" and upcoming(entries, 3500) is None
    # an expired entry is passed over while another has started
    assert current([E("a", None, 100.0), E("b", None, 9000.0)], 500).name == "b"
    # when every started entry has expired, the latest still answers (readyz says not ready)
    assert current([E("a", None, 100.0), E("b", 50.0, 200.0)], 500).name == "b"
    # nothing started yet: the first to start
    assert current([E("a", 100.0, None), E("b", 50.0, None)], 0).name == "b"


def test_a_keyring_refuses_what_would_be_ambiguous(identity: Identity, spare: Spare) -> None:
    any_id = SamsungCertificate(certificate_id=None, certificate=identity.samsung_cert)
    with pytest.raises(ConfigError, match="each needs the certificate_id"):
        ring(
            identity,
            spare,
            samsung_certificates=[
                any_id,
                SamsungCertificate(certificate_id="X", public_key=None, certificate=identity.samsung_cert),
            ],
        )
    with pytest.raises(ConfigError, match="listed twice"):
        ring(
            identity,
            spare,
            samsung_certificates=[
                SamsungCertificate(certificate_id="SAMS", certificate=identity.samsung_cert),
                SamsungCertificate(certificate_id="SAMS", certificate=identity.samsung_cert),
            ],
        )
    with pytest.raises(ConfigError, match="at least one partner key"):
        ring(identity, spare, partner_keys=[])
    from linkkit.errors import KeyLoadError

    with pytest.raises(KeyLoadError, match="does not belong"):
        PartnerKey(certificate_id="Nx42", private_key=spare.partner2_key, certificate=identity.partner_cert)
    with pytest.raises(ConfigError, match="letters and digits"):
        PartnerKey(certificate_id="no spaces", private_key=identity.partner_key)
    with pytest.raises(ConfigError, match="32 random bytes"):
        ClickSecret(id="short", secret=b"x" * 31)


def test_repr_names_ids_and_never_keys(identity: Identity, spare: Spare) -> None:
    keyring = ring(identity, spare, click_secrets=[ClickSecret(id="c1", secret=b"s" * 32)])
    text = repr(keyring)
    assert "YMtt" in text and "SAM2" in text and "c1" in text
    assert "BEGIN" not in text and "sss" not in text and "RSAPrivateKey" not in text


# -- inbound: the certificate the token names --------------------------------------------------------


def test_each_samsung_certificate_verifies_its_own_tokens_and_an_unknown_id_is_a_clear_401(
    identity: Identity, spare: Spare, clock: FrozenClock, loyalty_card: dict[str, Any]
) -> None:
    partner = server(ring(identity, spare), clock, loyalty_card)
    assert partner.handle(samsung_call(identity.samsung_key, "SAMS", clock)).status == 200
    assert partner.handle(samsung_call(spare.samsung2_key, "SAM2", clock)).status == 200

    unknown = partner.handle(samsung_call(identity.samsung_key, "ZZZZ", clock))
    assert unknown.status == 401 and unknown.code == UnknownCertificateError.code == "unknown_certificate"
    assert b'"code":"unknown_certificate"' in unknown.body

    # naming a certificate does not lend its key: SAM2's id with SAMS's signature is refused
    crossed = partner.handle(samsung_call(identity.samsung_key, "SAM2", clock))
    assert crossed.status == 401 and crossed.code == "bad_signature"


def test_a_keyring_of_one_certificate_without_an_id_takes_any_id(
    identity: Identity, spare: Spare, clock: FrozenClock, loyalty_card: dict[str, Any]
) -> None:
    only = [SamsungCertificate(certificate_id=None, certificate=identity.samsung_cert)]
    partner = server(ring(identity, spare, samsung_certificates=only), clock, loyalty_card)
    assert partner.handle(samsung_call(identity.samsung_key, "ANY1", clock)).status == 200
    assert partner.handle(samsung_call(spare.samsung2_key, "ANY1", clock)).code == "bad_signature"


def test_a_signed_atw_link_verifies_with_either_samsung_certificate(identity: Identity, spare: Spare) -> None:
    keyring = ring(identity, spare)
    link = action_link(CERTIFICATE_ID, CARD_ID)
    for key in (identity.samsung_key, spare.samsung2_key):
        signed = sign_atw_link(link, key, clock=lambda: NOW)
        assert verify_signed_link(keyring, signed, max_age=300, clock_skew=5, clock=lambda: NOW).atw_link == link
    foreign = sign_atw_link(link, spare.partner2_key, clock=lambda: NOW)
    with pytest.raises(BadSignatureError):
        verify_signed_link(keyring, foreign, max_age=300, clock_skew=5, clock=lambda: NOW)


# -- outbound: current, then next ---------------------------------------------------------------------


def _opened(response_body: bytes, partner_cert: Any, samsung_key: Any, clock: FrozenClock) -> dict[str, Any]:
    token = json.loads(response_body)["cdata"]
    header = decode_jws(token).header
    verifier = TokenVerifier(
        signer_public_key=public_key_of(partner_cert),
        decryption_key=samsung_key,
        partner_id=PARTNER_ID,
        certificate_id=header["certificateId"],
        clock=clock,
    )
    verifier.open_card_data_token(token)
    return header


def test_the_next_partner_key_signs_from_its_date_and_the_next_samsung_certificate_is_encrypted_to_from_its(
    identity: Identity, spare: Spare, clock: FrozenClock, loyalty_card: dict[str, Any]
) -> None:
    partner2_cert = spare.certificate(spare.partner2_key, expires=LATER)
    keyring = ring(
        identity,
        spare,
        partner_keys=[
            PartnerKey(
                certificate_id=CERTIFICATE_ID, private_key=identity.partner_key, certificate=identity.partner_cert
            ),
            PartnerKey(
                certificate_id="Nx42", private_key=spare.partner2_key, certificate=partner2_cert, use_from=NOW + 100
            ),
        ],
        samsung_certificates=[
            SamsungCertificate(certificate_id="SAMS", certificate=identity.samsung_cert),
            SamsungCertificate(
                certificate_id="SAM2",
                certificate=spare.certificate(spare.samsung2_key, expires=LATER),
                use_from=NOW + 200,
            ),
        ],
    )
    assert keyring.next_partner_key(NOW).certificate_id == "Nx42"  # type: ignore[union-attr]
    partner = server(keyring, clock, loyalty_card)

    before = partner.handle(samsung_call(identity.samsung_key, "SAMS", clock))
    assert _opened(before.body, identity.partner_cert, identity.samsung_key, clock)["certificateId"] == CERTIFICATE_ID

    clock.now = NOW + 150  # the partner key has switched, the Samsung certificate not yet
    middle = partner.handle(samsung_call(identity.samsung_key, "SAMS", clock))
    assert _opened(middle.body, partner2_cert, identity.samsung_key, clock)["certificateId"] == "Nx42"

    clock.now = NOW + 250  # both have switched
    after = partner.handle(samsung_call(spare.samsung2_key, "SAM2", clock))
    assert _opened(after.body, partner2_cert, spare.samsung2_key, clock)["certificateId"] == "Nx42"
    assert partner.config.certificate_ids == (CERTIFICATE_ID, "Nx42")


def test_a_data_action_link_made_under_the_previous_partner_certificate_is_still_ours(
    identity: Identity, spare: Spare, clock: FrozenClock, loyalty_card: dict[str, Any]
) -> None:
    partner2_cert = spare.certificate(spare.partner2_key, expires=LATER)
    keyring = ring(
        identity,
        spare,
        partner_keys=[
            PartnerKey(
                certificate_id=CERTIFICATE_ID, private_key=identity.partner_key, certificate=identity.partner_cert
            ),
            PartnerKey(
                certificate_id="Nx42", private_key=spare.partner2_key, certificate=partner2_cert, use_from=NOW - 1
            ),
        ],
    )
    actions = ActionRegistry()

    @actions.on(CHECK_ELIGIBILITY)
    def eligible(ctx: ActionContext) -> ActionResult:
        return ask_user(["otp"])

    partner = server(keyring, clock, loyalty_card, actions=actions)
    path = f"/cards/{CARD_ID}/seq-1/requestAction"
    signer = TokenSigner(partner_id=PARTNER_ID, certificate_id="SAM2", private_key=spare.samsung2_key, clock=clock)
    for certificate_id, expected in ((CERTIFICATE_ID, 200), ("Nx42", 200), ("Zz99", 401)):
        clock.now += 0.002
        signed = sign_atw_link(action_link(certificate_id, CARD_ID), spare.samsung2_key, clock=clock)
        body = {"actionType": CHECK_ELIGIBILITY, "actionPayload": {"signedAtwLink": signed}}
        headers = {
            "authorization": signer.authorization_header("POST", path),
            "x-request-id": uuid.uuid4().hex,
            "content-type": "application/json",
        }
        request = Request("POST", path, path, Headers(headers), body=json.dumps(body).encode())
        assert partner.handle(request).status == expected, certificate_id


# -- click-link secrets -------------------------------------------------------------------------------


def test_click_links_take_the_keyrings_secrets_current_first_and_all_verify(
    identity: Identity, spare: Spare, clock: FrozenClock
) -> None:
    old, new = ClickSecret(id="2025", secret=b"o" * 32), ClickSecret(id="2026", secret=b"n" * 32, use_from=NOW + 10)
    keyring = ring(identity, spare, click_secrets=[old, new])
    store = SQLiteStore(":memory:", clock=clock)
    links = ClickLinks(store=store, keyring=keyring, base_url="https://partner.test/w", clock=clock)
    before = links.create(CARD_ID, "ref-1")
    clock.now = NOW + 11
    after = links.create(CARD_ID, "ref-1")
    # each was signed by the secret current when it was made, and both still open
    only_old = ClickLinks(store=store, secrets=[old.secret], base_url="https://partner.test/w", clock=clock)
    only_new = ClickLinks(store=store, secrets=[new.secret], base_url="https://partner.test/w", clock=clock)
    assert only_old.link_id(before) and not only_new.link_id(before)
    assert only_new.link_id(after) and not only_old.link_id(after)
    assert links.link_id(before) and links.link_id(after)
    with pytest.raises(ConfigError, match="one of them"):
        ClickLinks(store=store, secrets=[old.secret], keyring=keyring, base_url="https://partner.test/w")
    with pytest.raises(ConfigError, match="no click_secrets"):
        ClickLinks(store=store, keyring=ring(identity, spare), base_url="https://partner.test/w")
