"""An S2P client certificate must be the partner's that ``Partner-Id`` names, in both directions.

A second partner's certificate, signed by the same CA and valid in every other way, passes mutual TLS;
the S2P API and the notification endpoint then refuse it with 400.1 naming ``Partner-Id``, over real
sockets and real TLS, and store nothing.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization

from linkkit.identity import CertificateAuthority, cert_pem, issue_certificate, key_pem, new_rsa_key
from linkkit.keys import load_certificate, load_private_key
from linkkit.partner.s2p import NotificationHandler
from linkkit.partner.s2p_store import NotificationStore
from linkkit.s2p.peer import NO_PARTNER, WRONG_PARTNER, certificate_partner_id, check_certificate_partner
from linkkit.tls import client_context

from .conftest import BLOB, S2P_PARTNER_ID, Partner

OTHER_PARTNER_ID = "9d8c7b6a-5f4e-4d3c-8b2a-190817263544"
READY = {
    "event": {
        "regId": "a" * 36,
        "type": "WA_READY",
        "walletId": "w-1",
        "device": {"id": "sandbox-device-0001", "type": "PHONE"},
    }
}


def _ca(files: dict[str, bytes], name: str) -> CertificateAuthority:
    return CertificateAuthority(load_private_key(files[f"{name}.key"]), load_certificate(files[f"{name}.crt"]))


def _client_cert(ca: CertificateAuthority, common_name: str) -> tuple[bytes, bytes]:
    key = new_rsa_key()
    return cert_pem(issue_certificate(ca, key.public_key(), common_name, client=True, days=2)), key_pem(key)


@pytest.fixture(scope="module")
def other(identity: Any) -> dict[str, tuple[bytes, bytes]]:
    """Valid client certificates of a second partner (and one with a free-text name), from the right CAs."""
    samsung, partner = _ca(identity.files, "samsung-ca"), _ca(identity.files, "partner-ca")
    return {
        "api": _client_cert(samsung, OTHER_PARTNER_ID),
        "api-free-text": _client_cert(samsung, "partner S2P client"),  # the form identities had
        "notify": _client_cert(partner, OTHER_PARTNER_ID),
    }


def _headers(partner_id: str = S2P_PARTNER_ID) -> dict[str, str]:
    return {"Request-Id": uuid.uuid4().hex, "Partner-Id": partner_id, "Content-Type": "application/json"}


def _assert_partner_id_refused(answer: httpx.Response, reason: str) -> None:
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "400.1" and body["errors"] == [{"field": "Partner-Id", "reason": reason}]


def test_the_identity_names_its_partner_in_both_client_certificates(identity):
    for name in ("partner-client.crt", "s2p-client.crt"):
        assert certificate_partner_id(identity.files[name]) == S2P_PARTNER_ID


@pytest.mark.parametrize("case", ["api", "api-free-text"])
def test_the_api_refuses_another_partners_certificate(identity, other, running, sandbox, case):
    cert, key = other[case]
    tls = client_context(certificate=cert, private_key=key, server_ca=identity.files["samsung-ca.crt"])
    with httpx.Client(verify=tls) as http:
        answer = http.get(f"{running.api_url}/registrations/{'a' * 36}", headers=_headers())
        _assert_partner_id_refused(answer, WRONG_PARTNER)
        # Naming itself does not help: the API serves one partner.
        own = http.get(f"{running.api_url}/registrations/{'a' * 36}", headers=_headers(OTHER_PARTNER_ID))
        assert own.status_code == 400 and own.json()["errors"][0]["field"] == "Partner-Id"
    assert sandbox.registrations == []


def test_the_api_serves_the_partner_its_certificate_names(identity, running):
    files = identity.files
    tls = client_context(
        certificate=files["partner-client.crt"],
        private_key=files["partner-client.key"],
        server_ca=files["samsung-ca.crt"],
    )
    with httpx.Client(verify=tls) as http:
        answer = http.get(f"{running.api_url}/registrations/{'a' * 36}", headers=_headers())
    # Past the Partner-Id check: an unknown registration is the next rule.
    assert answer.status_code == 400 and answer.json()["errors"] == [
        {"field": "regId", "reason": "no such registration"}
    ]


def test_the_notification_endpoint_refuses_another_partners_certificate(identity, other, partner: Partner):
    cert, key = other["notify"]
    tls = client_context(certificate=cert, private_key=key, server_ca=identity.files["partner-ca.crt"])
    with httpx.Client(verify=tls) as http:
        answer = http.post(f"{partner.url}/notifications", json=READY, headers=_headers())
    _assert_partner_id_refused(answer, WRONG_PARTNER)
    assert partner.store.count() == 0 and partner.issued == []


def test_the_handler_checks_a_certificate_it_is_given(identity, other):
    handler = NotificationHandler(
        partner_id=S2P_PARTNER_ID, issuer=lambda _n: BLOB, store=NotificationStore(":memory:")
    )
    body = json.dumps(READY).encode()
    refused = handler.handle(_headers(), body, client_certificate=other["notify"][0])
    assert refused.status == 400 and refused.body["errors"][0]["field"] == "Partner-Id"
    der = load_certificate(identity.files["s2p-client.crt"]).public_bytes(serialization.Encoding.DER)
    assert handler.handle(_headers(), body, client_certificate=der).status == 200
    assert handler.store.count() == 1


def test_the_rule():
    assert certificate_partner_id(b"not a certificate") is None
    assert certificate_partner_id("-----BEGIN CERTIFICATE-----\nxx\n-----END CERTIFICATE-----\n") is None
    assert check_certificate_partner(b"junk", _headers()) == check_certificate_partner(b"", _headers())
    assert check_certificate_partner(b"junk", _headers())[0].reason == NO_PARTNER
