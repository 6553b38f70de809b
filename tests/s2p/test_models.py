"""Typed S2P bodies: Registration, RegistrationInfo, Notification, the partner's answer."""

from __future__ import annotations

import pytest

from linkkit.errors import ValidationError
from linkkit.s2p import DeviceInfo, Notification, Registration, encrypted_data_of, notification_response

from .cases import VALID


def test_registration_builds_samsungs_body_without_none_members():
    reg = Registration(
        card_name="Acme",
        card_art_url="https://b.example/a.png",
        partner_name="Acme Bank",
        partner_logo_url="https://b.example/l.png",
        hide_phone=True,
        data={"k": [1]},
    )
    assert reg.to_body() == {
        "registration": {
            "hidePhone": True,
            "data": {"k": [1]},
            "custom": {
                "cardName": "Acme",
                "cardArtUrl": "https://b.example/a.png",
                "partnerName": "Acme Bank",
                "partnerLogoUrl": "https://b.example/l.png",
            },
        }
    }


def test_registration_body_data_is_a_copy():
    data = {"k": [1]}
    body = Registration.from_body(VALID | {"registration": VALID["registration"] | {"data": data}}).to_body()
    body["registration"]["data"]["k"].append(2)
    assert data == {"k": [1]}


def test_registration_validates_when_built():
    with pytest.raises(ValidationError) as info:
        Registration(card_name="", card_art_url="art.png", partner_name="P", partner_logo_url="https://b.example/l")
    assert [str(e) for e in info.value.errors] == [
        "registration.custom.cardName: required (empty)",
        "registration.custom.cardArtUrl: must be an absolute http(s) URL",
    ]
    assert info.value.field == "registration.custom.cardName"
    with pytest.raises(ValidationError, match=r"^registration.email: required when"):
        Registration(
            card_name="C",
            card_art_url="https://b.example/a",
            partner_name="P",
            partner_logo_url="https://b.example/l",
            enforce_email_matching=True,
        )


def test_notification_model():
    n = Notification(
        reg_id="a" * 36,
        type="WA_READY",
        user_id="u",
        email_matches=False,
        device=DeviceInfo(id="d", country="KR"),
        wallet_id="w",
    )
    assert n.to_body() == {
        "event": {"regId": "a" * 36, "type": "WA_READY"},
        "user": {"id": "u"},
        "emailMatches": False,
        "device": {"id": "d", "locale": {"country": "KR"}},
        "wallet": {"id": "w"},
    }
    with pytest.raises(ValidationError, match="event.type"):
        Notification(reg_id="a" * 36, type="WA_SOMETHING")


def test_partner_answer():
    assert notification_response("blob") == {"card": {"data": {"encryptedData": "blob"}}}
    assert notification_response(None) == {}
    assert encrypted_data_of({"card": {"data": {"encryptedData": "blob"}}}) == "blob"
    assert encrypted_data_of({}) is None
    assert encrypted_data_of({"card": {"data": {}}}) is None
    with pytest.raises(ValidationError, match="card.data.encryptedData: must be at most 65536"):
        notification_response("x" * 65537)
    with pytest.raises(ValidationError, match="card.data: must be a JSON object"):
        encrypted_data_of({"card": {"data": "blob"}})
