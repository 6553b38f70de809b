"""Validation of S2P bodies: every rule of Save to Pay's data types on every registration field, notifications."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkkit.errors import FieldError, LinkKitError
from linkkit.s2p import Notification, Registration, RegistrationInfo, check_notification, check_registration
from linkkit.s2p.schema import REGISTRATION_FIELDS

from .cases import INVALID, VALID
from .test_types import JSON

NOTIFICATION = {
    "event": {
        "regId": "886674f6-6f07-4117-a9f6-cdab49c498b1",
        "type": "WA_PROVISION_FAILURE",
        "error": "CARD_ALREADY_PRESENT",
        "desc": "card already present",
    },
    "user": {"id": "samsung-account-1"},
    "emailMatches": True,
    "phoneMatches": False,
    "device": {"id": "device-1", "imeiLast4": "1234", "serialLast4": "5678", "locale": {"country": "KR"}},
    "wallet": {"id": "wallet-1"},
}


def test_the_full_valid_registration_passes():
    assert check_registration(VALID) == []
    assert Registration.from_body(VALID).to_body() == VALID


@pytest.mark.parametrize(("body", "path", "words"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_each_rule_names_its_field(body, path, words):
    errors = check_registration(body)
    assert errors, "expected a validation error"
    assert errors[0].path == path
    assert words in errors[0].reason


def test_every_registration_field_has_an_invalid_case():
    named = {c[2] for c in INVALID}
    for field in REGISTRATION_FIELDS:
        assert field.path in named, field.path


def test_all_errors_are_collected_in_document_order():
    body = copy.deepcopy(VALID)
    body["registration"]["phone"] = "call me"
    del body["registration"]["custom"]["cardName"]
    body["registration"]["custom"]["cardArtUrl"] = "art.png"
    assert check_registration(body) == [
        FieldError("registration.phone", "must match [0-9+()-]+ (digits, +, (, ), -)"),
        FieldError("registration.custom.cardArtUrl", "must be an absolute http(s) URL"),
        FieldError("registration.custom.cardName", "required"),
    ]


def test_values_are_never_echoed():
    body = copy.deepcopy(VALID)
    body["registration"]["phone"] = "secret-phone-value"
    assert "secret-phone-value" not in str(check_registration(body))


def test_notification_valid_and_round_trip():
    assert check_notification(NOTIFICATION) == []
    assert Notification.from_body(NOTIFICATION).to_body() == NOTIFICATION


def test_notification_is_tolerant_of_members_samsung_does_not_list():
    body = copy.deepcopy(NOTIFICATION) | {"futureMember": {"x": 1}}
    body["device"]["model"] = "SM-S918"
    assert check_notification(body) == []


def test_minimal_notification():
    n = Notification.from_body({"event": {"regId": "a" * 26, "type": "WA_READY"}})
    assert (n.user_id, n.device, n.wallet_id, n.email_matches) == (None, None, None, None)


@pytest.mark.parametrize(
    ("mutate", "path", "words"),
    [
        (lambda b: b.pop("event"), "event", "required"),
        (lambda b: b["event"].pop("regId"), "event.regId", "required"),
        (lambda b: b["event"].update(regId="short"), "event.regId", "26 to 128"),
        (lambda b: b["event"].update(type="WA_DONE"), "event.type", "WA_READY, WA_PROVISIONED, WA_PROVISION_FAILURE"),
        (lambda b: b["event"].update(error="OTHER"), "event.error", "CARD_ALREADY_PRESENT"),
        (lambda b: b["event"].update(type="WA_READY"), "event.error", "not allowed with event.type WA_READY"),
        (lambda b: b["event"].update(desc=["x"]), "event.desc", "string"),
        (lambda b: b["user"].pop("id"), "user.id", "required"),
        (lambda b: b.update(emailMatches="yes"), "emailMatches", "true or false"),
        (lambda b: b.update(phoneMatches=1), "phoneMatches", "true or false"),
        (lambda b: b["device"].pop("id"), "device.id", "required"),
        (lambda b: b["device"].update(imeiLast4="12345"), "device.imeiLast4", "at most 4"),
        (lambda b: b["device"].update(serialLast4=5678), "device.serialLast4", "string"),
        (lambda b: b["device"]["locale"].update(country="KOR"), "device.locale.country", "at most 2"),
        (lambda b: b["wallet"].pop("id"), "wallet.id", "required"),
        (lambda b: b.update(wallet="w"), "wallet", "JSON object"),
    ],
)
def test_notification_rules(mutate, path, words):
    body = copy.deepcopy(NOTIFICATION)
    mutate(body)
    errors = check_notification(body)
    assert errors and errors[0].path == path and words in errors[0].reason


def test_registration_info_reads_the_response():
    info = RegistrationInfo.from_body(
        {
            "registration": {"id": "a" * 36, "status": "LINKED", "welcomeUrl": "https://s2p.example/v1/welcome/x"},
            "extra": 1,
        }
    )
    assert info.is_linked and "welcomeUrl" in info.to_body()["registration"]
    assert "welcome" not in repr(info)  # the welcome URL is a bearer link: kept out of logs
    with pytest.raises(LinkKitError, match="registration.status: must be one of PENDING, LINKED"):
        RegistrationInfo.from_body(
            {"registration": {"id": "a" * 36, "status": "DONE", "welcomeUrl": "https://s2p.example/w"}}
        )


@given(JSON)
def test_fuzz_only_linkkit_errors_escape(value):
    for parse in (Registration.from_body, Notification.from_body, RegistrationInfo.from_body):
        try:
            parse(value)
        except LinkKitError:
            pass
    for body in ({"registration": value}, {"registration": {"custom": value}}, {"event": value, "device": value}):
        check_registration(body)
        check_notification(body)


@given(
    st.dictionaries(
        st.sampled_from(["email", "phone", "hideEmail", "data", "custom", "enforcePhoneMatching"]), JSON, max_size=4
    )
)
def test_fuzz_registration_members(members):
    try:
        Registration.from_body({"registration": members})
    except LinkKitError:
        pass
